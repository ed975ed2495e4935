package dev.chatwire.jakarta;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Watches an endpoint's open sockets: a timer visits each one every tick to ping it, time out its send, or close it
 * when idle; the Jakarta calls that block (ping, close) run on a small separate pool so that one stuck client never
 * holds up the timer, the engine or a container thread.
 */
final class Housekeeper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Housekeeper.class);
    /** Enough that a few clients stuck in a blocking ping or close (each bounded by the send timeout) stall no one. */
    private static final int BLOCKING_THREADS = 16;
    /**
     * How long {@link #close} waits for the blocking calls already handed over, above all the engine's closes with
     * 1001 at shutdown: the container stops next, and a close frame still queued then is a dropped connection.
     */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    private final Set<JakartaConnection> connections = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;
    private final ExecutorService blocking;
    private final LongSupplier ticker;

    /**
     * Starts visiting sockets every {@code tick}.
     *
     * @param ticker the monotonic time in nanoseconds, {@code System::nanoTime} but in tests
     */
    Housekeeper(Duration tick, LongSupplier ticker) {
        this.ticker = ticker;
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, daemon("chatwire-ws-timer"));
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.timer = scheduler;
        ThreadPoolExecutor pool = new ThreadPoolExecutor(BLOCKING_THREADS, BLOCKING_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemon("chatwire-ws-io"));
        pool.allowCoreThreadTimeOut(true);
        this.blocking = pool;
        long millis = tick.toMillis();
        timer.scheduleWithFixedDelay(this::visitAll, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Now, in the nanoseconds every timestamp of the endpoint's sockets is taken in. */
    long nanoTime() {
        return ticker.getAsLong();
    }

    void add(JakartaConnection connection) {
        connections.add(connection);
    }

    void remove(JakartaConnection connection) {
        connections.remove(connection);
    }

    int size() {
        return connections.size();
    }

    /** Runs a blocking container call off the caller's thread; dropped once the endpoint is closed. */
    void runBlocking(Runnable call) {
        try {
            blocking.execute(call);
        } catch (RejectedExecutionException e) {
            log.debug("endpoint closed; container call dropped");
        }
    }

    private void visitAll() {
        long now = ticker.getAsLong();
        for (JakartaConnection connection : connections) {
            try {
                connection.housekeep(now);
            } catch (RuntimeException e) {
                log.warn("housekeeping failed for a socket", e);
            }
        }
    }

    /** Stops the timer, then waits up to {@link #CLOSE_GRACE} for the blocking calls already handed over. */
    @Override
    public void close() {
        timer.shutdownNow();
        blocking.shutdown();
        connections.clear();
        try {
            if (!blocking.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("endpoint closed with socket closes still pending after {}", CLOSE_GRACE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
