package dev.chatwire.core;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records each chat's newest activity in the chat store ({@link dev.chatwire.core.spi.ChatStore#touch}) for the chat
 * list, off the delivery path: a write on the executor after a message is published, one per burst rather than one
 * per message (messages stored while a write is waiting to run are folded into it), retried when the store is
 * unavailable. A chat whose write is finally given up keeps its older activity until its next message.
 */
final class ActivityRecorder {

    private static final int ATTEMPTS = 5;

    private final EngineParts parts;
    /** The newest activity of each chat whose write is waiting to run. */
    private final Map<String, Instant> pending = new ConcurrentHashMap<>();

    ActivityRecorder(EngineParts parts) {
        this.parts = parts;
    }

    /** A message of the chat was stored at {@code at}. */
    void stored(String chatId, Instant at) {
        boolean[] first = new boolean[1];
        pending.compute(chatId, (id, waiting) -> {
            first[0] = waiting == null;
            return waiting == null || at.isAfter(waiting) ? at : waiting;
        });
        if (first[0]) {
            // Forgotten when given up, so that the chat's next message starts a write again.
            parts.retries().run("activity of chat " + chatId, ATTEMPTS, () -> write(chatId),
                    gaveUp -> pending.remove(chatId));
        }
    }

    private void write(String chatId) {
        Instant at = pending.remove(chatId);
        if (at == null) {
            return;
        }
        try {
            parts.chats().touch(chatId, at);
        } catch (RuntimeException e) {
            // Put back for the retry, unless a newer message has queued a write of its own meanwhile.
            pending.merge(chatId, at, (newer, mine) -> newer.isAfter(mine) ? newer : mine);
            throw e;
        }
    }
}
