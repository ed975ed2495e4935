package dev.chatwire.client;

/**
 * The user was removed from a chat; nothing more of it arrives.
 *
 * @param chatId the chat
 */
public record ChatLeftEvent(String chatId) {
}
