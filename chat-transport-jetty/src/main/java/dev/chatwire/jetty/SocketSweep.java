package dev.chatwire.jetty;

import dev.chatwire.core.SocketSettings;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    private final Set<JettyConnection> open = ConcurrentHashMap.newKeySet();
    private final long idleTimeoutNanos;
    private final long pingIntervalNanos;
    private final long sendTimeoutNanos;
    private final long tickMillis;
    private final ScheduledExecutorScheduler scheduler = new ScheduledExecutorScheduler("chatwire-ws-sweep", true);

    SocketSweep(SocketSettings settings) {
        this.idleTimeoutNanos = settings.idleTimeout().toNanos();
        this.pingIntervalNanos = settings.pingInterval().toNanos();
        this.sendTimeoutNanos = settings.sendTimeout().toNanos();
        this.tickMillis = settings.sweepInterval().toMillis();
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
