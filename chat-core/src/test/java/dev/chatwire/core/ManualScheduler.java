package dev.chatwire.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler on virtual time, with the {@link Clock} that reads it: nothing runs until the test {@link #advance}s
 * the time, and then every task that came due runs on the test's thread, in due order. {@link #execute} runs at once.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    private final MutableClock clock;
    private final PriorityQueue<Task<?>> due = new PriorityQueue<>(Comparator.comparingLong((Task<?> t) -> t.atMillis)
            .thenComparingLong(t -> t.order));
    private long nextOrder;
    private boolean shutdown;

    ManualScheduler(Instant start) {
        // Whole milliseconds, as the tasks' due times count them.
        this.clock = new MutableClock(Instant.ofEpochMilli(start.toEpochMilli()));
    }

    /** A clock that reads this scheduler's time; only {@link #advance} moves it. */
    Clock clock() {
        return clock;
    }

    private long nowMillis() {
        return clock.millis();
    }

    /** Moves time forward and runs every task that came due, including those that the tasks schedule meanwhile. */
    void advance(Duration duration) {
        long until = nowMillis() + duration.toMillis();
        while (true) {
            Task<?> next;
            synchronized (this) {
                next = due.peek();
                if (next == null || next.atMillis > until) {
                    break;
                }
                due.poll();
            }
            clock.set(Instant.ofEpochMilli(Math.max(nowMillis(), next.atMillis)));
            next.run();
        }
        clock.set(Instant.ofEpochMilli(until));
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return enqueue(new Task<>(java.util.concurrent.Executors.callable(command, null), delay, unit));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return enqueue(new Task<>(callable, delay, unit));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException("the engine schedules no periodic task");
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("the engine schedules no periodic task");
    }

    @Override
    public void execute(Runnable command) {
        command.run();
    }

    private synchronized <V> Task<V> enqueue(Task<V> task) {
        if (shutdown) {
            throw new java.util.concurrent.RejectedExecutionException("shut down");
        }
        task.order = nextOrder++;
        due.add(task);
        return task;
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> pending = new ArrayList<>(due);
        due.clear();
        return pending;
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }

    /** A task due at a point of virtual time. */
    private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
        final long atMillis;
        long order;

        Task(Callable<V> callable, long delay, TimeUnit unit) {
            super(callable);
            this.atMillis = nowMillis() + unit.toMillis(delay);
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(atMillis - nowMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.MILLISECONDS), other.getDelay(TimeUnit.MILLISECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            synchronized (ManualScheduler.this) {
                due.remove(this);
            }
            return super.cancel(mayInterruptIfRunning);
        }
    }
}
