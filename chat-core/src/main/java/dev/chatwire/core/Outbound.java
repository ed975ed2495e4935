package dev.chatwire.core;

import dev.chatwire.core.spi.Connection;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One connection's bounded outbound queue and the writes it has handed to the connection.
 *
 * <p>At most {@link Connection#maxSendsInFlight()} frames are with the connection at once; the next leaves when one
 * completes. One thread at a time hands frames over (whichever finds nobody else doing it), so the connection sees
 * them in queue order, and a send that completes on the calling thread lets that loop go on rather than recurse, so
 * a fast transport cannot overflow the stack. {@link #offer} never blocks: when the queue, frames in flight included,
 * is over its byte or frame bound it refuses, and the caller closes the connection as a slow consumer. Inside a
 * {@link WriteBatch} the handing over waits until the batch closes.
 */
final class Outbound {

    private final Connection connection;
    private final long maxBytes;
    private final int maxFrames;
    private final int maxInFlight;
    private final Consumer<Throwable> onFailure;

    /** Frames not yet handed to the connection; made when first needed, since most sockets rarely queue. */
    private ArrayDeque<String> queue;
    /** Characters queued or in flight. */
    private long queuedChars;
    private int inFlight;
    /** A thread is handing frames over, or a batch holds this queue to do it when it closes. */
    private boolean handingOver;
    private boolean closed;
    /**
     * Everyone waiting for the queue to drain: one replay per chat of the socket, so each must be kept; a waiter
     * dropped here would leave its chat catching up for good.
     */
    private List<Runnable> onDrained;

    Outbound(Connection connection, long maxBytes, int maxFrames, Consumer<Throwable> onFailure) {
        this.connection = connection;
        this.maxBytes = maxBytes;
        this.maxFrames = maxFrames;
        this.maxInFlight = Math.max(1, connection.maxSendsInFlight());
        this.onFailure = onFailure;
    }

    /**
     * Queues a frame for writing.
     *
     * @return {@code false} if the queue is full (the frame was dropped); {@code true} otherwise, including when the
     * queue is closed and the frame was silently dropped
     */
    boolean offer(String frame) {
        synchronized (this) {
            if (closed) {
                return true;
            }
            int waiting = queue == null ? 0 : queue.size();
            if (queuedChars + frame.length() > maxBytes || waiting >= maxFrames) {
                return false;
            }
            queuedChars += frame.length();
            boolean now = !handingOver && waiting == 0 && inFlight < maxInFlight;
            if (now) {
                handingOver = true;
                // An idle queue joins this thread's open batch, if any, and hands over when the batch closes.
                now = !WriteBatch.hold(this);
            }
            if (!now) {
                if (queue == null) {
                    queue = new ArrayDeque<>();
                }
                queue.add(frame);
                return true;
            }
            inFlight++;
        }
        handOver(frame);
        return true;
    }

    /** Starts writing what queued up while a {@link WriteBatch} held this queue back. */
    void startHeld() {
        handOver(null);
    }

    /** Characters queued or in flight. */
    synchronized long queuedChars() {
        return queuedChars;
    }

    /** Whether less than half the byte bound is in use: room for a replay step. */
    synchronized boolean hasRoomForReplay() {
        return queuedChars < maxBytes / 2 && (queue == null || queue.size() < maxFrames / 2);
    }

    /**
     * Runs {@code action} once, when the queue next drains to a quarter of its bound (or now, if it already has).
     * Every action registered while the queue is above that mark runs, in registration order; none if the queue
     * closes first.
     */
    void whenDrained(Runnable action) {
        synchronized (this) {
            if (!drainedToAQuarter() && !closed) {
                if (onDrained == null) {
                    onDrained = new ArrayList<>(2);
                }
                onDrained.add(action);
                return;
            }
        }
        action.run();
    }

    /**
     * Below a quarter of both bounds. Frames count as well as bytes: a replay stopped by the frame bound alone must
     * wait too, not be run again at once and find no room, over and over.
     */
    private boolean drainedToAQuarter() {
        return queuedChars < maxBytes / 4 && (queue == null || queue.size() < maxFrames / 4);
    }

    /** How many {@link #whenDrained} actions wait for the queue to drain; for tests. */
    synchronized int drainWaiters() {
        return onDrained == null ? 0 : onDrained.size();
    }

    /** Drops everything queued and refuses later frames. */
    synchronized void close() {
        closed = true;
        queue = null;
        queuedChars = 0;
        onDrained = null;
    }

    /**
     * Hands {@code first} (already counted in flight), if any, and then queued frames to the connection while it has
     * room for them. Only the thread that set {@link #handingOver} runs this.
     */
    private void handOver(String first) {
        String frame = first;
        while (true) {
            if (frame != null) {
                String sent = frame;
                try {
                    connection.send(sent, failure -> written(sent, failure));
                } catch (RuntimeException e) {
                    synchronized (this) {
                        handingOver = false;
                    }
                    failed(e);
                    throw e;
                }
            }
            synchronized (this) {
                frame = closed || inFlight >= maxInFlight || queue == null ? null : queue.poll();
                if (frame == null) {
                    handingOver = false;
                    return;
                }
                inFlight++;
            }
        }
    }

    private void written(String frame, Throwable failure) {
        if (failure != null) {
            failed(failure);
            return;
        }
        List<Runnable> drained = null;
        boolean resume = false;
        synchronized (this) {
            inFlight--;
            queuedChars = Math.max(0, queuedChars - frame.length());
            if (!handingOver && !closed && queue != null && !queue.isEmpty()) {
                handingOver = true;
                resume = true;
            }
            if (onDrained != null && drainedToAQuarter()) {
                drained = onDrained;
                onDrained = null;
            }
        }
        if (drained != null) {
            drained.forEach(Runnable::run);
        }
        if (resume) {
            handOver(null);
        }
    }

    private void failed(Throwable failure) {
        boolean first;
        synchronized (this) {
            first = !closed;
        }
        close();
        // Frames in flight fail together when a socket dies; the connection needs closing once.
        if (first) {
            onFailure.accept(failure);
        }
    }
}
