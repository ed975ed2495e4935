package dev.chatwire.benchmark;

import java.util.ArrayDeque;

/**
 * One socket of the bare server, whatever WebSocket API carries it: the user it signed in as, and its frames on their
 * way to the container. Frames leave in the order they were queued, handed over by one thread at a time without
 * waiting for writes: a room queues under its lock, so each socket gets the room's seqs in order, and hands over after
 * releasing it, so one room's sockets are written in parallel. Thread-safe.
 *
 * <p>{@link BareCoreSocket} extends it, so that its sockets cost no extra object; {@link BareEndpoint}, which must
 * extend Jakarta's {@code Endpoint}, makes one when its socket opens.
 */
abstract class BareSocket {

    /** A unique id for {@code connected}. */
    final String id;
    /** The user the socket signed in as, or null before {@code connect}. */
    volatile String userId;
    // Guarded by this.
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private boolean handing;

    BareSocket(String id) {
        this.id = id;
    }

    /** Hands a text frame to the container, without waiting for it to be written. */
    abstract void write(String text);

    /** Queues a frame and hands the queue over at once, unless another thread is handing it over already. */
    final void send(String text) {
        if (enqueue(text)) {
            flush();
        }
    }

    /** Queues a frame; true when no other thread is handing the queue over, and the caller must {@link #flush} it. */
    final synchronized boolean enqueue(String text) {
        queue.add(text);
        boolean idle = !handing;
        handing = true;
        return idle;
    }

    /** Hands every queued frame to the container, in order, until the queue is empty. */
    final void flush() {
        for (String next = poll(); next != null; next = poll()) {
            write(next);
        }
    }

    /** The next queued frame, or null once the queue is empty: then the next {@link #enqueue} must flush. */
    private synchronized String poll() {
        String next = queue.poll();
        handing = next != null;
        return next;
    }
}
