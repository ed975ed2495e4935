package dev.chatwire.client;

/**
 * A user sharing a chat came online (their first connection anywhere) or went offline (their last one).
 *
 * @param chatId the chat shared with them
 * @param userId the user
 * @param online whether they are online now
 */
public record PresenceEvent(String chatId, String userId, boolean online) {
}
