package dev.chatwire.core.memory;

import dev.chatwire.core.spi.HealthCheck;
import dev.chatwire.core.spi.ReadStateStore;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link ReadStateStore} in the heap of one JVM. Thread-safe without a lock: each mark is one atomic merge. */
public final class InMemoryReadStateStore implements ReadStateStore, HealthCheck {

    private final Map<String, Map<String, Long>> seqsByChat = new ConcurrentHashMap<>();

    @Override
    public long markRead(String chatId, String userId, long seq) {
        if (seq < 0) {
            throw new IllegalArgumentException("seq must not be negative, was " + seq);
        }
        return seqsByChat.computeIfAbsent(chatId, id -> new ConcurrentHashMap<>()).merge(userId, seq, Math::max);
    }

    @Override
    public Map<String, Map<String, Long>> readSeqs(Collection<String> chatIds) {
        Map<String, Map<String, Long>> seqs = new LinkedHashMap<>();
        for (String chatId : chatIds) {
            seqs.put(chatId, Map.copyOf(seqsByChat.getOrDefault(chatId, Map.of())));
        }
        return seqs;
    }

    /** Always up: there is no backend to lose. */
    @Override
    public Health checkHealth() {
        return Health.up("in memory");
    }
}
