package dev.chatwire.benchmark;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What a run tells its operator: progress lines (one every two seconds while a phase runs, and one when it ends), and
 * the problems it met (failed calls, error frames, unexpected closes), counted, the first few logged.
 */
final class Progress {

    private static final Logger log = LoggerFactory.getLogger("progress");
    private static final int PROBLEMS_LOGGED = 5;

    private final String label;
    private final AtomicLong problems = new AtomicLong();

    Progress(String label) {
        this.label = label;
    }

    static void say(String label, String status) {
        log.info("{}: {}", label, status);
    }

    void say(String status) {
        say(label, status);
    }

    /** A repeating progress line; closing it throws nothing. */
    interface Ticker extends AutoCloseable {
        @Override
        void close();
    }

    /** Logs {@code status} every two seconds until the returned ticker is closed, and once more then. */
    Ticker ticking(Supplier<String> status) {
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "progress");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleAtFixedRate(() -> say(status.get()), 2, 2, TimeUnit.SECONDS);
        return () -> {
            ticker.shutdownNow();
            say(status.get());
        };
    }

    /** Counts a problem; logs the first few. */
    void problem(String what) {
        if (problems.incrementAndGet() <= PROBLEMS_LOGGED) {
            log.warn("{}: {}", label, what);
        }
    }

    long problems() {
        return problems.get();
    }

    /**
     * Waits until {@code count} reaches {@code goal}, giving up only when it has not moved for {@code stall}: a slow
     * machine is no failure, a stuck count is.
     *
     * @return whether the goal was reached
     */
    static boolean until(LongSupplier count, LongSupplier goal, Duration stall) throws InterruptedException {
        long last = count.getAsLong();
        long lastChange = System.nanoTime();
        while (count.getAsLong() < goal.getAsLong()) {
            Thread.sleep(5);
            long now = count.getAsLong();
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > stall.toNanos()) {
                return false;
            }
        }
        return true;
    }
}
