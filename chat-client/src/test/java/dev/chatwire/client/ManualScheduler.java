package dev.chatwire.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler on virtual time: timed tasks run only when the test moves the time forward with {@link #advance}, on
 * the test's thread; {@link #execute} runs a task at once on one thread of its own, the client's event thread, as a
 * real scheduler would. Running it on the caller's thread instead would run the client's work inside java.net.http's
 * callbacks, which a real scheduler never does. Thread-safe.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    private final PriorityQueue<Timed> timed = new PriorityQueue<>();
    private final ExecutorService eventThread = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "manual-scheduler-events");
        thread.setDaemon(true);
        return thread;
    });
    private long nowMillis;
    private long order;
    private boolean shutDown;

    /** Moves the time forward, running every timed task that falls due, in time order. */
    void advance(Duration by) {
        long until;
        synchronized (this) {
            until = nowMillis + by.toMillis();
        }
        while (true) {
            Timed next;
            synchronized (this) {
                next = timed.peek();
                if (next == null || next.dueMillis > until) {
                    nowMillis = until;
                    return;
                }
                timed.poll();
                nowMillis = next.dueMillis;
            }
            next.run();
        }
    }

    @Override
    public void execute(Runnable command) {
        eventThread.execute(command);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return add(command, unit.toMillis(delay), 0);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("the client schedules runnables only");
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return add(command, unit.toMillis(initialDelay), unit.toMillis(period));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return add(command, unit.toMillis(initialDelay), unit.toMillis(delay));
    }

    private synchronized Timed add(Runnable command, long delayMillis, long periodMillis) {
        Timed task = new Timed(command, nowMillis + delayMillis, periodMillis, order++);
        timed.add(task);
        return task;
    }

    @Override
    public synchronized void shutdown() {
        shutDown = true;
        timed.clear();
        eventThread.shutdown();
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown();
        return new ArrayList<>();
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutDown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutDown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }

    private final class Timed implements ScheduledFuture<Object> {
        private final Runnable command;
        private final long periodMillis;
        private final long order;
        private long dueMillis;
        private volatile boolean cancelled;
        private volatile boolean done;

        Timed(Runnable command, long dueMillis, long periodMillis, long order) {
            this.command = command;
            this.dueMillis = dueMillis;
            this.periodMillis = periodMillis;
            this.order = order;
        }

        void run() {
            if (cancelled) {
                return;
            }
            command.run();
            if (periodMillis > 0 && !cancelled) {
                synchronized (ManualScheduler.this) {
                    dueMillis += periodMillis;
                    timed.add(this);
                }
            } else {
                done = true;
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            synchronized (ManualScheduler.this) {
                return unit.convert(dueMillis - nowMillis, TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public int compareTo(Delayed other) {
            Timed that = (Timed) other;
            int byTime = Long.compare(dueMillis, that.dueMillis);
            return byTime != 0 ? byTime : Long.compare(order, that.order);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            cancelled = true;
            synchronized (ManualScheduler.this) {
                timed.remove(this);
            }
            return !done;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        @Override
        public Object get() {
            throw new UnsupportedOperationException("not used by the client");
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException("not used by the client");
        }
    }
}
