package dev.chatwire.jakarta;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.chatwire.core.Chat;
import dev.chatwire.core.ChatPage;
import dev.chatwire.core.ChatSummary;
import dev.chatwire.core.Message;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The answer to {@code GET /chats}: {@code {"chats":[...],"nextCursor"}}, each entry a chat's own fields with its
 * list state beside them. The chat's fields stay at the top of each entry, where they were when this route answered
 * a list of chats, so that a client reading the entries as chats reads them still.
 *
 * @param chats      the page's chats, newest activity first
 * @param nextCursor the {@code before} of the next page; absent on the last page
 */
record ChatListBody(List<Entry> chats, String nextCursor) {

    /** The answer for one page of the engine's chat list. */
    static ChatListBody of(ChatPage page) {
        return new ChatListBody(page.chats().stream().map(Entry::of).toList(), page.nextCursor());
    }

    /**
     * A chat as the list shows it; see {@link ChatSummary}.
     *
     * @param chat        its fields, written inline
     * @param lastMessage its newest message in its current state; absent when it has none
     * @param unread      messages of others after {@code lastRead} that are not deleted
     * @param lastRead    the user's read seq, 0 for none
     * @param readBy      the other participants' read seqs, for those who have read any
     * @param activityAt  its newest message's time, or its creation's if it has none
     */
    record Entry(@JsonUnwrapped Chat chat, Message lastMessage, long unread, long lastRead,
                 Map<String, Long> readBy, Instant activityAt) {

        static Entry of(ChatSummary summary) {
            return new Entry(summary.chat(), summary.lastMessage(), summary.unread(), summary.lastRead(),
                    summary.readBy(), summary.activityAt());
        }
    }
}
