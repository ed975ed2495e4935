package dev.chatwire.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Holds back the socket writes a thread starts while it publishes a batch of messages, and starts them once the
 * whole batch is queued.
 *
 * <p>A connection then gets a batch's frames handed over together rather than one write each, and the leader of a
 * chat's group commit ({@link AppendPipeline}) queues the whole batch before any socket write can hold it up. Queue
 * order is write order, so each connection still gets its frames in seq order.
 */
final class WriteBatch implements AutoCloseable {

    private static final ThreadLocal<WriteBatch> CURRENT = new ThreadLocal<>();
    /** The batch of a nested {@link #open}: the outer one starts the writes. */
    private static final WriteBatch NESTED = new WriteBatch();

    private final List<Outbound> held = new ArrayList<>(2);

    private WriteBatch() {
    }

    /** Starts holding this thread's writes back until the returned batch is closed. */
    static WriteBatch open() {
        if (CURRENT.get() != null) {
            return NESTED;
        }
        WriteBatch batch = new WriteBatch();
        CURRENT.set(batch);
        return batch;
    }

    /**
     * Whether this thread has an open batch; if so, {@code outbound} is held in it, to start writing when it closes.
     */
    static boolean hold(Outbound outbound) {
        WriteBatch batch = CURRENT.get();
        if (batch == null) {
            return false;
        }
        batch.held.add(outbound);
        return true;
    }

    /** Starts every held write, in the order they were held. */
    @Override
    public void close() {
        if (this == NESTED) {
            return;
        }
        CURRENT.remove();
        RuntimeException failure = null;
        for (Outbound outbound : held) {
            try {
                outbound.startHeld();
            } catch (RuntimeException e) {
                // A transport that throws from send breaks its contract; the other connections still get their writes.
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
