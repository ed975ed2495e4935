package dev.chatwire.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A stored message, as the server sent it, in its state at the time: a {@link MessageUpdate} brings a later one.
 *
 * <p>{@code seq} orders a chat's timeline: unique within the chat and increasing; it may skip numbers but never
 * repeats. The client remembers the last one it delivered per chat and resumes from it after a reconnect.
 *
 * @param id              the server's id, unique across chats
 * @param chatId          the chat it belongs to
 * @param seq             its position in the chat's timeline
 * @param senderId        the user who sent it
 * @param type            {@code text}, {@code image}, {@code video}, {@code audio} or {@code file}; kept as the wire
 *                        name so that a newer server's types reach the application instead of failing the decoding
 * @param text            the text or caption, or {@code null}
 * @param attachment      the file, or {@code null} for a text message
 * @param clientMessageId the sender's idempotency key, or {@code null}
 * @param createdAt       when the server stored it
 * @param editedAt        when its text was last edited, or {@code null} if never
 * @param deleted         whether it was deleted: then its text and attachment are gone
 * @param reactions       each emoji to the users who reacted with it; empty when none
 */
public record Message(String id, String chatId, long seq, String senderId, String type, String text,
                      Attachment attachment, String clientMessageId, Instant createdAt, Instant editedAt,
                      boolean deleted, Map<String, List<String>> reactions) {

    /** Freezes the reactions; absent ones read as none. */
    public Message {
        reactions = reactions == null ? Map.of() : Map.copyOf(reactions);
    }

    /** A message as sent: never edited, not deleted, without reactions. */
    public Message(String id, String chatId, long seq, String senderId, String type, String text,
                   Attachment attachment, String clientMessageId, Instant createdAt) {
        this(id, chatId, seq, senderId, type, text, attachment, clientMessageId, createdAt, null, false, Map.of());
    }
}
