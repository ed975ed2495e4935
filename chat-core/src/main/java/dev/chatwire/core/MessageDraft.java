package dev.chatwire.core;

import java.time.Instant;
import java.util.Objects;

/**
 * A message as the engine hands it to a {@link dev.chatwire.core.spi.MessageStore}: everything but the id and seq,
 * which the store assigns.
 *
 * @param chatId          the chat to append to
 * @param senderId        the sending user
 * @param type            what it carries
 * @param text            the text or caption, or {@code null}
 * @param attachment      the file, or {@code null}
 * @param clientMessageId the sender's idempotency key, or {@code null} for none
 * @param createdAt       the send time
 */
public record MessageDraft(String chatId, String senderId, MessageType type, String text, Attachment attachment,
                           String clientMessageId, Instant createdAt) {

    /** Validates every field. */
    public MessageDraft {
        Validate.notBlank(chatId, "chatId");
        Validate.notBlank(senderId, "senderId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(createdAt, "createdAt");
        if (clientMessageId != null) {
            Validate.notBlank(clientMessageId, "clientMessageId");
        }
        checkContent(type, text, attachment);
    }

    /** A text message. */
    public static MessageDraft text(String chatId, String senderId, String text, String clientMessageId,
                                    Instant createdAt) {
        return new MessageDraft(chatId, senderId, MessageType.TEXT, text, null, clientMessageId, createdAt);
    }

    /** The stored message this draft becomes, with the id and seq its store assigned. */
    public Message toMessage(String id, long seq) {
        return new Message(id, chatId, seq, senderId, type, text, attachment, clientMessageId, createdAt);
    }

    static void checkContent(MessageType type, String text, Attachment attachment) {
        if (type == MessageType.TEXT) {
            if (attachment != null) {
                throw new IllegalArgumentException("a text message carries no attachment");
            }
            Validate.notBlank(text, "text");
        } else if (attachment == null) {
            throw new IllegalArgumentException("a " + type.wireName() + " message needs an attachment");
        }
    }
}
