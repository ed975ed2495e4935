package dev.chatwire.client;

/**
 * The user was added to a chat, or created one; its live messages follow {@code seq}.
 *
 * @param chatId the chat
 * @param chat   the chat and its participants
 * @param seq    the chat's last seq when the user joined
 */
public record ChatJoinedEvent(String chatId, Chat chat, long seq) {
}
