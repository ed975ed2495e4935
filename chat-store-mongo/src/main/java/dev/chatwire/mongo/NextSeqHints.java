package dev.chatwire.mongo;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The seq this node expects to be free next in each chat it wrote to: a hint that saves reading the chat's highest
 * seq before every insert. A wrong hint costs one refused insert (the unique {@code chatId, seq} index catches it),
 * never a wrong seq, so the map may forget entries at any time; it does, all at once, when it grows past its bound.
 */
final class NextSeqHints {

    private static final int MAX_CHATS = 10_000;

    private final Map<String, Long> nextByChat = new ConcurrentHashMap<>();

    /** The seq to try next in {@code chatId}, or 0 when this node knows nothing of it. */
    long next(String chatId) {
        return nextByChat.getOrDefault(chatId, 0L);
    }

    /** {@code seq} is stored in {@code chatId}, so the seq after it is the one to try next. */
    void stored(String chatId, long seq) {
        if (nextByChat.size() >= MAX_CHATS) {
            nextByChat.clear();
        }
        nextByChat.merge(chatId, seq + 1, Math::max);
    }

    /**
     * The hint for {@code chatId} was wrong, or a write's outcome is unknown: read the chat's highest seq next time.
     */
    void forget(String chatId) {
        nextByChat.remove(chatId);
    }
}
