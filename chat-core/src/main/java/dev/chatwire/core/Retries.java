package dev.chatwire.core;

import dev.chatwire.core.spi.UnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The engine's one failure policy for background work that calls a backend: run it on the executor; when it fails
 * with {@link UnavailableException}, run it again after a delay that doubles from {@link #FIRST_DELAY} up to
 * {@link #MAX_DELAY}, at most {@code attempts} times; then hand the failure to {@code gaveUp}. The scheduler only
 * waits; the work itself never runs on the scheduler's thread.
 */
final class Retries {

    static final Duration FIRST_DELAY = Duration.ofMillis(100);
    static final Duration MAX_DELAY = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(Retries.class);

    private final ScheduledExecutorService scheduler;
    private final Executor executor;

    Retries(ScheduledExecutorService scheduler, Executor executor) {
        this.scheduler = scheduler;
        this.executor = executor;
    }

    /** What to do once every attempt failed. */
    interface GaveUp {
        void after(UnavailableException lastFailure);
    }

    /**
     * Runs {@code work} on the executor now, and again on failure as the class documentation says.
     *
     * @param what     names the work in log lines
     * @param attempts 1 or more
     */
    void run(String what, int attempts, Runnable work, GaveUp gaveUp) {
        attempt(what, 1, attempts, work, gaveUp);
    }

    /** The delay before attempt {@code attempt + 1}. */
    static Duration delayAfter(int attempt) {
        long millis = FIRST_DELAY.toMillis() << Math.min(attempt - 1, 20);
        return Duration.ofMillis(Math.min(millis, MAX_DELAY.toMillis()));
    }

    private void attempt(String what, int attempt, int attempts, Runnable work, GaveUp gaveUp) {
        execute(() -> {
            try {
                work.run();
            } catch (UnavailableException e) {
                if (attempt >= attempts) {
                    log.warn("{} failed {} times; giving up", what, attempts, e);
                    gaveUp.after(e);
                    return;
                }
                Duration delay = delayAfter(attempt);
                log.warn("{} failed (attempt {} of {}); again in {} ms", what, attempt, attempts, delay.toMillis(), e);
                try {
                    scheduler.schedule(() -> attempt(what, attempt + 1, attempts, work, gaveUp), delay.toMillis(),
                            TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException closed) {
                    log.debug("engine closed; {} dropped", what);
                }
            }
        });
    }

    private void execute(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException closed) {
            log.debug("engine closed; background work dropped");
        }
    }
}
