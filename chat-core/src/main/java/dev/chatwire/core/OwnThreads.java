package dev.chatwire.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The threads an engine makes for itself when the host gives none: daemon threads the engine stops on close. */
final class OwnThreads {

    /** How long an idle worker thread lives. */
    static final Duration IDLE_WORKER_LIFE = Duration.ofSeconds(30);

    private final List<ExecutorService> pools = new ArrayList<>();

    /** A single timer thread for deadlines and retry waits. */
    ScheduledExecutorService timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemon("chatwire-timer"));
        // Every socket arms a connect deadline and usually cancels it within milliseconds: drop cancelled tasks at
        // once instead of holding them (about 100 bytes each) until their time comes.
        timer.setRemoveOnCancelPolicy(true);
        // Deadlines and retry waits of a closed engine have nothing left to do.
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        pools.add(timer);
        return timer;
    }

    /**
     * A pool of up to {@code threads} workers for the engine's blocking background work, started as work comes and
     * ended after {@link #IDLE_WORKER_LIFE} without any: the work waits on backends far more than it computes, so the
     * pool's size bounds how many admissions and replays wait on round trips at once, not how much CPU they take.
     */
    ExecutorService workers(int threads) {
        ThreadPoolExecutor workers = new ThreadPoolExecutor(threads, threads, IDLE_WORKER_LIFE.toMillis(),
                TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), daemon("chatwire-worker"));
        workers.allowCoreThreadTimeOut(true);
        pools.add(workers);
        return workers;
    }

    /** Stops taking work, gives what is queued up to {@code grace} to finish, then interrupts what is left. */
    void shutdown(Duration grace) {
        pools.forEach(ExecutorService::shutdown);
        try {
            for (ExecutorService pool : pools) {
                pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pools.forEach(ExecutorService::shutdownNow);
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
