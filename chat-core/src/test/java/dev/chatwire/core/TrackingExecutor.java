package dev.chatwire.core;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/**
 * An executor that knows whether any task it was given is still queued or running, so that a test can wait until an
 * engine's background work has settled before asserting that nothing more arrives, instead of sleeping. A task that
 * hands on work does so before it ends, so the count never touches zero in between.
 */
final class TrackingExecutor implements Executor {

    private final Executor delegate;
    private final AtomicInteger unfinished = new AtomicInteger();

    TrackingExecutor(Executor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
        unfinished.incrementAndGet();
        try {
            delegate.execute(() -> {
                try {
                    task.run();
                } finally {
                    unfinished.decrementAndGet();
                }
            });
        } catch (RuntimeException e) {
            unfinished.decrementAndGet();
            throw e;
        }
    }

    /** Waits until every task given so far, and every task those gave, has finished. */
    void awaitIdle() {
        awaitUnfinished(0);
    }

    /** Waits until only {@code tasks} tasks are queued or running: from inside a task, 1 means all but itself. */
    void awaitUnfinished(int tasks) {
        await().until(() -> unfinished.get() == tasks);
    }

    /**
     * Like {@link #awaitIdle}, checking at once and then every millisecond: for a test that waits after each of
     * hundreds of inputs, where the default 100 ms poll would dominate.
     */
    void awaitIdleQuickly() {
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).until(() -> unfinished.get() == 0);
    }
}
