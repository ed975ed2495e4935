package dev.chatwire.client;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link ResumeStorage} in the heap: resume works across reconnects of one client, not across processes.
 * Thread-safe, so that several clients of the same user in one process may share it.
 */
public final class InMemoryResumeStorage implements ResumeStorage {

    private final Map<String, Long> seqs = new ConcurrentHashMap<>();

    /** An empty storage. */
    public InMemoryResumeStorage() {
    }

    @Override
    public Map<String, Long> load() {
        return Map.copyOf(seqs);
    }

    @Override
    public void save(String chatId, long seq) {
        seqs.put(chatId, seq);
    }

    @Override
    public void remove(String chatId) {
        seqs.remove(chatId);
    }
}
