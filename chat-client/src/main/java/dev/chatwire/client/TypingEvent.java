package dev.chatwire.client;

/**
 * Someone started or stopped typing in a chat; never sent back to the connection that typed.
 *
 * @param chatId the chat
 * @param userId who typed
 * @param active whether they are typing now
 */
public record TypingEvent(String chatId, String userId, boolean active) {
}
