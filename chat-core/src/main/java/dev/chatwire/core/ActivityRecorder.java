package dev.chatwire.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Records each chat's newest activity in the chat store ({@link dev.chatwire.core.spi.ChatStore#touch}) for the chat
 * list, off the delivery path: a write on the executor {@link #DELAY} after a chat's first message since its last
 * write, so that a busy chat costs at most a few writes a second however many messages it takes (those stored while
 * a write waits are folded into it), retried when the store is unavailable. A chat moves up the list that much
 * later; one whose write is finally given up keeps its older activity until its next message.
 */
final class ActivityRecorder {

    private static final int ATTEMPTS = 5;
    /** How long a chat's first message waits for others to share its write. */
    static final Duration DELAY = Duration.ofMillis(250);

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
            try {
                parts.timers().schedule(() -> parts.retries().run("activity of chat " + chatId, ATTEMPTS,
                        () -> write(chatId), gaveUp -> pending.remove(chatId)),
                        DELAY.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closed) {
                pending.remove(chatId);
            }
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
