package dev.chatwire.core;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A chat as a chat list shows it to one of its participants.
 *
 * @param chat        the chat
 * @param lastMessage its newest message in its current state, or {@code null} if it has none
 * @param lastRead    the highest seq the user has read in it (0 for none)
 * @param unread      how many messages of others after {@code lastRead} are not deleted
 * @param readBy      the other participants' read seqs, for those who have read any
 * @param activityAt  when it last had a message, or was created if it has none: what the list is ordered by
 */
public record ChatSummary(Chat chat, Message lastMessage, long lastRead, long unread, Map<String, Long> readBy,
                          Instant activityAt) {

    /** Requires the chat, the read seqs and the activity time. */
    public ChatSummary {
        Objects.requireNonNull(chat, "chat");
        readBy = Map.copyOf(readBy);
        Objects.requireNonNull(activityAt, "activityAt");
    }
}
