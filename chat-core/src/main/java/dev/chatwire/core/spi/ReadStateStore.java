package dev.chatwire.core.spi;

import java.util.Collection;
import java.util.Map;

/**
 * How far each user has read each chat: the highest seq of the chat's timeline the user has read, on any device.
 *
 * <p>A user's read seq never moves back: a mark below the stored one changes nothing, so two devices marking at once
 * end with the higher mark, whatever order their writes reach the store in. Thread-safe and safe when many nodes
 * share one backing store. Every method blocks on the backing store and throws {@link UnavailableException} when it
 * fails or does not answer in time.
 */
public interface ReadStateStore {

    /**
     * Records that a user has read a chat up to {@code seq}, unless it had read further.
     *
     * @param seq 0 or more
     * @return the user's read seq in the chat once this mark is applied: {@code seq} or the higher one stored
     */
    long markRead(String chatId, String userId, long seq);

    /**
     * The read seqs of the given chats, in one call: each chat asked about is a key, mapped to each user who has
     * marked it read (with the highest seq), or to an empty map. Users removed from a chat may still be listed; the
     * caller keeps those it wants.
     */
    Map<String, Map<String, Long>> readSeqs(Collection<String> chatIds);
}
