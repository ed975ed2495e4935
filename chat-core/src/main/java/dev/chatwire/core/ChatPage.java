package dev.chatwire.core;

import java.util.List;

/**
 * One page of a user's chat list, newest activity first.
 *
 * @param chats      the chats of this page
 * @param nextCursor what to pass as {@code before} for the next page, or {@code null} when this page is the last
 */
public record ChatPage(List<ChatSummary> chats, String nextCursor) {

    /** Freezes the list. */
    public ChatPage {
        chats = List.copyOf(chats);
    }
}
