package dev.chatwire.jetty;

import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The one timer of a {@link ChatWebSocketHandler}: every tick it visits each open socket, which pings, times out a
 * stuck send or closes itself when idle. A socket thus costs an entry in one set rather than timer tasks of its own.
 * Its lifecycle is the handler's (a managed bean); a socket opened while it is stopped is still served, but neither
 * pinged nor timed out by it (Jetty's own idle and write timeouts still apply).
 */
final class SocketSweep extends AbstractLifeCycle {

    private static final Logger log = LoggerFactory.getLogger(SocketSweep.class);
    private static final long MIN_TICK_MILLIS = 20;

    private final Set<JettyConnection> open = ConcurrentHashMap.newKeySet();
    private final long idleTimeoutNanos;
    private final long pingIntervalNanos;
    private final long sendTimeoutNanos;
    private final long tickMillis;
    private final ScheduledExecutorScheduler scheduler = new ScheduledExecutorScheduler("chatwire-ws-sweep", true);

    SocketSweep(Duration idleTimeout, Duration pingInterval, Duration sendTimeout) {
        this.idleTimeoutNanos = idleTimeout.toNanos();
        this.pingIntervalNanos = pingInterval.toNanos();
        this.sendTimeoutNanos = sendTimeout.toNanos();
        // Often enough that a ping or a send timeout is late by at most a quarter of its interval.
        this.tickMillis = Math.max(MIN_TICK_MILLIS, Math.min(pingInterval.toMillis(), sendTimeout.toMillis()) / 4);
    }

    long idleTimeoutNanos() {
        return idleTimeoutNanos;
    }

    long pingIntervalNanos() {
        return pingIntervalNanos;
    }

    long sendTimeoutNanos() {
        return sendTimeoutNanos;
    }

    void add(JettyConnection connection) {
        open.add(connection);
    }

    void remove(JettyConnection connection) {
        open.remove(connection);
    }

    int size() {
        return open.size();
    }

    @Override
    protected void doStart() throws Exception {
        scheduler.start();
        scheduleNext();
    }

    @Override
    protected void doStop() throws Exception {
        scheduler.stop();
    }

    private void scheduleNext() {
        if (isRunning() || isStarting()) {
            try {
                scheduler.schedule(this::visitAll, tickMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                log.debug("socket sweep stopped");
            }
        }
    }

    private void visitAll() {
        long now = System.nanoTime();
        try {
            for (JettyConnection connection : open) {
                try {
                    connection.housekeep(now);
                } catch (RuntimeException e) {
                    log.warn("housekeeping failed for a socket", e);
                }
            }
        } finally {
            scheduleNext();
        }
    }
}
