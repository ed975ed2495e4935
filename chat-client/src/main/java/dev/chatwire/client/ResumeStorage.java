package dev.chatwire.client;

import java.util.Map;

/**
 * Where the client keeps the last seq it delivered per chat, so that a reconnect (or a new process, with a durable
 * implementation) resumes without a gap and without a duplicate.
 *
 * <p>The client calls it only from its event thread, one call at a time: an implementation needs no locking of its
 * own unless the application shares it. Calls should be quick (a file or a local database is fine; a network round
 * trip delays every event behind it). {@link InMemoryResumeStorage} is the default.
 */
public interface ResumeStorage {

    /** The last delivered seq of every chat known; an empty map when there is none. Read once per client. */
    Map<String, Long> load();

    /** Remembers that every message of {@code chatId} up to {@code seq} has been delivered. */
    void save(String chatId, long seq);

    /** Forgets a chat the user left. */
    void remove(String chatId);
}
