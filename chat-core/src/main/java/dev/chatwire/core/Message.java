package dev.chatwire.core;

import java.time.Instant;
import java.util.Objects;

/**
 * A stored message: one entry in its chat's timeline.
 *
 * <p>{@code seq} orders the chat's timeline: unique within the chat and increasing in the order entries were stored.
 * Clients remember the last {@code seq} they saw per chat and resume from it. Later kinds of entries (edits,
 * deletions, reactions) are meant to take further seqs of the same timeline, so that resume replays them too.
 *
 * @param id              the store-assigned id, unique across chats
 * @param chatId          the chat it belongs to
 * @param seq             its position in the chat's timeline, 1 or more
 * @param senderId        the user who sent it
 * @param type            what it carries
 * @param text            the text or caption, or {@code null} when it is an attachment without caption
 * @param attachment      the file, or {@code null} for a text message
 * @param clientMessageId the sender's idempotency key, or {@code null}
 * @param createdAt       when it was stored
 */
public record Message(String id, String chatId, long seq, String senderId, MessageType type, String text,
                      Attachment attachment, String clientMessageId, Instant createdAt) {

    /** Validates every field. */
    public Message {
        Validate.notBlank(id, "id");
        Validate.notBlank(chatId, "chatId");
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be 1 or more, was " + seq);
        }
        Validate.notBlank(senderId, "senderId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(createdAt, "createdAt");
        MessageDraft.checkContent(type, text, attachment);
    }
}
