package dev.chatwire.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Sends that the server has not acknowledged yet, in the order they were made, by {@code clientMessageId}. A send
 * stays here until its {@code ack} or a refusal; after a reconnect every one is sent again, and the server's
 * idempotency on the key stores each once. Not thread-safe: used on the client's event thread.
 */
final class Outbox {

    /** Codes after which nothing was stored and the same command may succeed later. */
    private static final Set<String> TRANSIENT = Set.of("rate_limited", "unavailable");

    private final int maxTransientRetries;
    private final Map<String, Pending> pending = new LinkedHashMap<>();

    Outbox(int maxTransientRetries) {
        this.maxTransientRetries = maxTransientRetries;
    }

    /** Keeps a send until it is answered. */
    void add(String clientMessageId, String frame, CompletableFuture<Message> result) {
        pending.put(clientMessageId, new Pending(frame, result));
    }

    /** The frames of every unanswered send, oldest first, to send again on a new socket. */
    List<String> frames() {
        List<String> frames = new ArrayList<>();
        pending.values().forEach(p -> frames.add(p.frame));
        return frames;
    }

    /** Completes the send with the message the server stored; an ack for an unknown key (a resend's) is ignored. */
    void acked(String clientMessageId, Message message) {
        Pending answered = pending.remove(clientMessageId);
        if (answered != null) {
            answered.result.complete(message);
        }
    }

    /**
     * Takes the server's refusal of a send. Returns the frame to send again after a delay when the refusal was
     * transient and retries are left; otherwise fails the send with the code and forgets it.
     */
    Optional<String> refused(String clientMessageId, String code, String message) {
        Pending refused = pending.get(clientMessageId);
        if (refused == null) {
            return Optional.empty();
        }
        if (TRANSIENT.contains(code) && refused.transientRetries < maxTransientRetries) {
            refused.transientRetries++;
            return Optional.of(refused.frame);
        }
        pending.remove(clientMessageId);
        refused.result.completeExceptionally(new ChatRefusedException(code, message));
        return Optional.empty();
    }

    /** Whether a send with this key still waits for its answer. */
    boolean waiting(String clientMessageId) {
        return pending.containsKey(clientMessageId);
    }

    /** Fails every unanswered send, when the client is closed. */
    void failAll(Throwable cause) {
        List<Pending> all = new ArrayList<>(pending.values());
        pending.clear();
        all.forEach(p -> p.result.completeExceptionally(cause));
    }

    private static final class Pending {
        final String frame;
        final CompletableFuture<Message> result;
        int transientRetries;

        Pending(String frame, CompletableFuture<Message> result) {
            this.frame = frame;
            this.result = result;
        }
    }
}
