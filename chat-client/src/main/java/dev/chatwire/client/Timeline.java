package dev.chatwire.client;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The last delivered seq of every chat, kept in the {@link ResumeStorage}, and the filter that lets each message
 * through once: a message at or below its chat's last seq, or with an id seen lately, was already delivered.
 * Not thread-safe: used on the client's event thread.
 */
final class Timeline {

    /** Enough ids to cover any replay overlap; seqs do the rest of the deduplication. */
    private static final int RECENT_IDS = 4096;

    private final ResumeStorage storage;
    private Map<String, Long> lastSeqs;
    private final Map<String, Boolean> recentIds = new LinkedHashMap<>(256, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > RECENT_IDS;
        }
    };

    Timeline(ResumeStorage storage) {
        this.storage = storage;
    }

    /** What to send as {@code connect}'s {@code resume}: the last delivered seq of every chat. */
    Map<String, Long> resume() {
        return Map.copyOf(seqs());
    }

    /**
     * Takes the server's view after {@code connected}: a chat the client has no seq for starts where the server's
     * live traffic starts, and a chat the user is no longer in is forgotten.
     */
    void connected(List<String> chats, Map<String, Long> serverSeqs) {
        Set<String> current = new HashSet<>(chats);
        for (String known : List.copyOf(seqs().keySet())) {
            if (!current.contains(known)) {
                left(known);
            }
        }
        for (String chatId : chats) {
            if (!seqs().containsKey(chatId)) {
                remember(chatId, serverSeqs.getOrDefault(chatId, 0L));
            }
        }
    }

    /** Whether this message is new (and then remembers it), or was already delivered. */
    boolean accept(Message message) {
        Long last = seqs().get(message.chatId());
        if (last != null && message.seq() <= last) {
            return false;
        }
        if (recentIds.putIfAbsent(message.id(), Boolean.TRUE) != null) {
            return false;
        }
        remember(message.chatId(), message.seq());
        return true;
    }

    /** Whether this change to a message is new (and then remembers its seq), or was already delivered. */
    boolean accept(MessageUpdate update) {
        Long last = seqs().get(update.chatId());
        if (last != null && update.seq() <= last) {
            return false;
        }
        remember(update.chatId(), update.seq());
        return true;
    }

    /** The user joined a chat whose live messages follow {@code seq}. */
    void joined(String chatId, long seq) {
        Long last = seqs().get(chatId);
        if (last == null || last < seq) {
            remember(chatId, seq);
        }
    }

    /** The user left a chat: nothing of it will come, and it must not be resumed. */
    void left(String chatId) {
        seqs().remove(chatId);
        storage.remove(chatId);
    }

    private void remember(String chatId, long seq) {
        seqs().put(chatId, seq);
        storage.save(chatId, seq);
    }

    private Map<String, Long> seqs() {
        if (lastSeqs == null) {
            lastSeqs = new HashMap<>(storage.load());
        }
        return lastSeqs;
    }
}
