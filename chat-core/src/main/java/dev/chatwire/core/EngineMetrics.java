package dev.chatwire.core;

import dev.chatwire.core.spi.Connection;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The engine's side of its {@link ChatMetrics}: the host's metrics, plus when each message published by this node was
 * stored, so that the write of its frame to a socket reports the delivery latency.
 *
 * <p>A stored message's frame is one string, sent as is to every local recipient (the room event carries it), so its
 * write is recognized by the string. Frames are remembered for {@link #WINDOW} and at most {@link #MAX_TRACKED} at a
 * time: a write later than that counts as a delivery without a latency. Frames of messages stored on other nodes
 * arrive as new strings and are likewise not timed. With {@link ChatMetrics#NONE} nothing is remembered or wrapped.
 */
final class EngineMetrics {

    /** How long a stored frame is remembered for timing its writes. */
    static final Duration WINDOW = Duration.ofSeconds(30);
    /** The most frames remembered at once, so that a burst holds a bounded amount of memory. */
    static final int MAX_TRACKED = 4096;
    private static final String NEW_MESSAGE_PREFIX = "{\"type\":\"new_message\"";

    private final ChatMetrics metrics;
    private final Clock clock;
    private final boolean enabled;
    private final Map<String, Instant> storedAt = new ConcurrentHashMap<>();
    private final Queue<Tracked> order = new ConcurrentLinkedQueue<>();
    /** Held by the one thread that expires old frames; the others skip expiry rather than wait. */
    private final ReentrantLock expiring = new ReentrantLock();

    EngineMetrics(ChatMetrics metrics, Clock clock) {
        this.metrics = metrics;
        this.clock = clock;
        this.enabled = metrics != ChatMetrics.NONE;
    }

    /** The host's metrics. */
    ChatMetrics report() {
        return metrics;
    }

    /** A message was stored (or found stored by a retry) and {@code frame} is about to be published for it. */
    void stored(String frame, boolean created) {
        if (!enabled) {
            return;
        }
        if (created) {
            metrics.stored();
        }
        Instant now = clock.instant();
        storedAt.put(frame, now);
        order.add(new Tracked(frame, now));
        expire(now);
    }

    /** The connection as the engine uses it: with metrics, each frame written is reported. */
    Connection timed(Connection connection) {
        return enabled ? new TimedConnection(connection) : connection;
    }

    /** How many stored frames are remembered; for tests. */
    int tracked() {
        return storedAt.size();
    }

    private void written(String frame) {
        if (!frame.startsWith(NEW_MESSAGE_PREFIX)) {
            return;
        }
        metrics.delivered();
        Instant at = storedAt.get(frame);
        if (at != null) {
            metrics.deliveryLatency(Duration.between(at, clock.instant()));
        }
    }

    private void expire(Instant now) {
        if (!expiring.tryLock()) {
            return;
        }
        try {
            Instant cutoff = now.minus(WINDOW);
            Tracked oldest;
            while ((oldest = order.peek()) != null
                    && (storedAt.size() > MAX_TRACKED || oldest.at().isBefore(cutoff))) {
                order.poll();
                storedAt.remove(oldest.frame(), oldest.at());
            }
        } finally {
            expiring.unlock();
        }
    }

    private record Tracked(String frame, Instant at) {
    }

    /** Reports each frame written; forwards everything else. */
    private final class TimedConnection implements Connection {
        private final Connection connection;

        TimedConnection(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void send(String frame, SendCallback done) {
            connection.send(frame, failure -> {
                if (failure == null) {
                    written(frame);
                }
                done.completed(failure);
            });
        }

        @Override
        public int maxSendsInFlight() {
            return connection.maxSendsInFlight();
        }

        @Override
        public Optional<InetAddress> peerAddress() {
            return connection.peerAddress();
        }

        @Override
        public void close(int code, String reason) {
            connection.close(code, reason);
        }
    }
}
