package dev.chatwire.jmh;

import dev.chatwire.core.ChatEngine;
import dev.chatwire.core.ChatLimits;
import dev.chatwire.core.ClientSession;
import dev.chatwire.core.Principal;
import dev.chatwire.core.spi.Connection;
import dev.chatwire.core.spi.TokenVerification;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Chatwire's engine on its in-memory adapters with sockets that complete every write at once: what a benchmark
 * measures on it is the engine's own work (decoding, checks, the store, encoding, fan-out, the outbound queues),
 * without a container or a kernel. The token is the user id; the command rate is unlimited, since one thread sends as
 * fast as it can, but its token bucket still runs. Counts the frames the engine writes, so that a benchmark can check
 * that every send was acked and delivered.
 */
final class EngineUnderLoad implements AutoCloseable {

    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(30);

    final ChatEngine engine = ChatEngine.builder().inMemory()
            .tokenVerifier(token -> TokenVerification.accepted(Principal.of(token)))
            .limits(ChatLimits.defaults().toBuilder().commandRate(1e9, 1_000_000).build())
            .build();
    final AtomicLong connected = new AtomicLong();
    final AtomicLong joined = new AtomicLong();
    final AtomicLong acks = new AtomicLong();
    final AtomicLong deliveries = new AtomicLong();
    final AtomicLong otherFrames = new AtomicLong();
    /** Sockets the engine closed: none until the benchmark closes the engine. */
    final AtomicLong closedSockets = new AtomicLong();

    private final Connection socket = new Connection() {
        @Override
        public void send(String frame, SendCallback done) {
            count(frame);
            done.completed(null);
        }

        @Override
        public int maxSendsInFlight() {
            return 16;
        }

        @Override
        public void close(int code, String reason) {
            closedSockets.incrementAndGet();
        }
    };

    /** Opens a socket signed in as {@code userId}; it is connected once {@link #connected} counts it. */
    ClientSession connect(String userId) {
        ClientSession session = engine.open(socket);
        session.authenticate(userId, Map.of());
        return session;
    }

    private void count(String frame) {
        if (frame.startsWith("{\"type\":\"new_message\"")) {
            deliveries.incrementAndGet();
        } else if (frame.startsWith("{\"type\":\"ack\"")) {
            acks.incrementAndGet();
        } else if (frame.startsWith("{\"type\":\"connected\"")) {
            connected.incrementAndGet();
        } else if (frame.startsWith("{\"type\":\"chat_joined\"")) {
            joined.incrementAndGet();
        } else if (!frame.startsWith("{\"type\":\"presence\"")) {
            otherFrames.incrementAndGet();
        }
    }

    /**
     * Waits until a count reaches its goal: the engine finishes some work (admission, joins, group commits) on its
     * own threads.
     *
     * @throws IllegalStateException if it does not within 30 s, an unexpected frame (an error) was written, or a
     *                               socket was closed
     */
    void awaitAtLeast(String what, LongSupplier count, long goal) {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        while (count.getAsLong() < goal) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(what + ": " + count.getAsLong() + " of " + goal);
            }
            Thread.onSpinWait();
        }
        if (otherFrames.get() > 0 || closedSockets.get() > 0) {
            throw new IllegalStateException(otherFrames.get() + " unexpected frames (errors) were written, "
                    + closedSockets.get() + " sockets closed");
        }
    }

    @Override
    public void close() {
        engine.close();
    }
}
