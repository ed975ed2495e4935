package dev.chatwire.core.spi;

import dev.chatwire.core.Message;
import dev.chatwire.core.MessageDraft;

import java.util.List;

/**
 * The durable timeline of every chat's messages.
 *
 * <p>Thread-safe, and safe when many nodes share one backing store: {@link #append} assigns each chat's
 * {@code seq} so that seqs are unique within a chat and increase in append order, even under concurrent appends.
 *
 * <p><b>Seqs become visible in order.</b> Once any reader on any node can see a chat's message with seq n, every
 * message of that chat with a lower seq that will ever be stored is visible too: a store never shows n+1 and later n.
 * So a hole below a visible seq is settled (nothing will ever fill it), and a reader may move past everything a page
 * of {@link #after} showed; a seq above the highest visible one may still be being written. Engines rely on this to
 * deliver each message once and in order with no gap: a store that shows seqs out of order makes readers skip
 * messages for good. A store may have holes (an older version's failed write), but never reuses a seq. The simplest
 * way to keep the rule across nodes is the one the bundled stores take: the write that stores a message is what
 * takes its seq (a unique index on chat and seq, with the next seq read from what is stored), so there is no
 * moment at which a seq is taken and not yet visible.
 *
 * <p>Every method blocks on the backing store and throws {@link UnavailableException} when it fails or does not
 * answer in time; it never returns a partial result.
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
     * Messages of a chat with a seq greater than {@code afterSeq}, oldest first, at most {@code limit} of them. No
     * message with a seq below the last one returned may become visible later (see the class documentation).
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
