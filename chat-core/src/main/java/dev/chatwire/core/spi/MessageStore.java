package dev.chatwire.core.spi;

import dev.chatwire.core.Message;
import dev.chatwire.core.MessageDraft;

import java.util.List;

/**
 * The durable timeline of every chat's messages.
 *
 * <p>Thread-safe, and safe when many nodes share one backing store: {@link #append} assigns each chat's
 * {@code seq} so that seqs are unique within a chat and increase in append order, even under concurrent appends.
 * A store may leave gaps in a chat's seqs (a failed insert after a seq was allocated) but never reuses one; the engine
 * tolerates gaps. Every method blocks on the backing store and throws {@link UnavailableException} when it fails or
 * does not answer in time; it never returns a partial result.
 */
public interface MessageStore {

    /**
     * Stores a message, or finds the one stored by an earlier try of the same send.
     *
     * <p>A draft with a {@code clientMessageId} is idempotent on (chatId, senderId, clientMessageId): if such a
     * message is already stored, it is returned with {@code created == false} and nothing new is stored.
     *
     * @return the stored message and whether this call stored it
     */
    Appended append(MessageDraft draft);

    /**
     * Messages of a chat with a seq greater than {@code afterSeq}, oldest first, at most {@code limit} of them.
     *
     * @param afterSeq 0 for the chat's first messages
     * @param limit    1 or more
     */
    List<Message> after(String chatId, long afterSeq, int limit);

    /**
     * The {@code limit} newest messages of a chat with a seq less than {@code beforeSeq}, oldest first.
     *
     * @param beforeSeq {@link Long#MAX_VALUE} for the chat's newest messages
     * @param limit     1 or more
     */
    List<Message> before(String chatId, long beforeSeq, int limit);

    /** The highest seq stored in a chat, or 0 if it has no messages. */
    long lastSeq(String chatId);

    /**
     * The result of {@link #append}.
     *
     * @param message the stored message
     * @param created {@code true} if this call stored it, {@code false} if an earlier try had
     */
    record Appended(Message message, boolean created) {
        /** Requires a message. */
        public Appended {
            java.util.Objects.requireNonNull(message, "message");
        }
    }
}
