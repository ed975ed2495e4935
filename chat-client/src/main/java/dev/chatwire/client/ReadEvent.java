package dev.chatwire.client;

/**
 * Someone read a chat up to a seq.
 *
 * @param chatId the chat
 * @param userId who read
 * @param seq    the last seq they have read
 */
public record ReadEvent(String chatId, String userId, long seq) {
}
