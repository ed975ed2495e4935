package dev.chatwire.core;

import dev.chatwire.core.spi.Connection;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One connection's bounded outbound queue and its single writer.
 *
 * <p>Frames are written one at a time through {@link Connection#send}; the next starts when the previous completes.
 * {@link #offer} never blocks: when the queue is over its byte or frame bound it refuses, and the caller closes the
 * connection as a slow consumer. A send that completes on the calling thread continues in a loop rather than by
 * recursion, so a fast transport cannot overflow the stack. Inside a {@link WriteBatch} the first write waits in the
 * queue until the batch closes.
 */
final class Outbound {

    private final Connection connection;
    private final long maxBytes;
    private final int maxFrames;
    private final Consumer<Throwable> onFailure;

    private ArrayDeque<String> queue;
    private long queuedChars;
    private boolean writing;
    private boolean closed;
    private Runnable onDrained;

    Outbound(Connection connection, long maxBytes, int maxFrames, Consumer<Throwable> onFailure) {
        this.connection = connection;
        this.maxBytes = maxBytes;
        this.maxFrames = maxFrames;
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
            // An idle queue joins this thread's open batch, if any, and writes when the batch closes.
            boolean later = writing || WriteBatch.hold(this);
            writing = true;
            if (later) {
                if (queue == null) {
                    queue = new ArrayDeque<>();
                }
                queue.add(frame);
                return true;
            }
        }
        writeFrom(frame);
        return true;
    }

    /** Starts writing what queued up while a {@link WriteBatch} held this queue back. */
    void startHeld() {
        String first;
        synchronized (this) {
            first = queue == null || closed ? null : queue.poll();
            if (first == null) {
                writing = false;
                return;
            }
        }
        writeFrom(first);
    }

    /** Whether less than half the byte bound is in use: room for a replay step. */
    synchronized boolean hasRoomForReplay() {
        return queuedChars < maxBytes / 2 && (queue == null || queue.size() < maxFrames / 2);
    }

    /** Runs {@code action} once, when the queue next drains to a quarter of its bound (or now, if it already has). */
    void whenDrained(Runnable action) {
        synchronized (this) {
            if (queuedChars >= maxBytes / 4 && !closed) {
                onDrained = action;
                return;
            }
        }
        action.run();
    }

    /** Drops everything queued and refuses later frames. */
    synchronized void close() {
        closed = true;
        queue = null;
        queuedChars = 0;
        onDrained = null;
    }

    private void writeFrom(String first) {
        String frame = first;
        while (frame != null) {
            String current = frame;
            // 0: send() has not returned and not completed; 1: completed inside send(); 2: send() returned first.
            AtomicInteger state = new AtomicInteger();
            connection.send(current, failure -> {
                if (failure != null) {
                    failed(failure);
                } else if (!state.compareAndSet(0, 1)) {
                    String next = written(current);
                    if (next != null) {
                        writeFrom(next);
                    }
                }
            });
            if (state.compareAndSet(0, 2)) {
                return;
            }
            frame = written(current);
        }
    }

    private String written(String frame) {
        Runnable drained = null;
        String next;
        synchronized (this) {
            queuedChars = Math.max(0, queuedChars - frame.length());
            next = queue == null || closed ? null : queue.poll();
            if (next == null) {
                writing = false;
            }
            if (onDrained != null && queuedChars < maxBytes / 4) {
                drained = onDrained;
                onDrained = null;
            }
        }
        if (drained != null) {
            drained.run();
        }
        return next;
    }

    private void failed(Throwable failure) {
        close();
        onFailure.accept(failure);
    }
}
