package dev.chatwire.client;

/**
 * The user was added to a chat, or created one; its live messages follow {@code seq}.
 *
 * @param chatId the chat
 * @param chat   the chat and its participants
 * @param seq      the chat's last seq when the user joined
 * @param lastRead the highest seq the user has read in the chat, on any device
 * @param unread   how many messages of others after {@code lastRead} are not deleted
 */
public record ChatJoinedEvent(String chatId, Chat chat, long seq, long lastRead, long unread) {
}
