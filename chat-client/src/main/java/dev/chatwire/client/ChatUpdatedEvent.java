package dev.chatwire.client;

/**
 * Who takes part in a chat, or manages it, changed.
 *
 * @param chatId the chat
 * @param chat   the chat as it is after the change
 * @param change {@code participant_added}, {@code participant_removed}, {@code admin_added} or {@code admin_removed}
 * @param userId the user the change is about
 * @param by     who made it (the user itself when it left)
 */
public record ChatUpdatedEvent(String chatId, Chat chat, String change, String userId, String by) {
}
