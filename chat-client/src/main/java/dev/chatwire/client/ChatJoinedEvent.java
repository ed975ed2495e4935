package dev.chatwire.client;

/**
 * The user was added to a chat, or created one; its live messages follow {@code seq}.
 *
 * @param chatId the chat
 * @param chat   the chat and its participants
 * @param seq      the chat's last seq when the user joined
 * @param lastRead the highest seq the user has read in the chat, on any device
 * @param unread   how many messages of others after {@code lastRead} (and {@code historyAfter}) are not deleted
 * @param historyAfter with the server's history from join, the chat's seq when the user was added: the user sees only
 *                 what comes after it, in history and replays alike; 0 when it sees the whole chat
 */
public record ChatJoinedEvent(String chatId, Chat chat, long seq, long lastRead, long unread, long historyAfter) {
}
