package dev.chatwire.jakarta;

import dev.chatwire.core.ClientSession;
import dev.chatwire.core.CloseCodes;
import dev.chatwire.core.spi.Connection;
import jakarta.websocket.CloseReason;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One Jakarta WebSocket session as the engine sees it.
 *
 * <p>Text frames leave through the async remote. Jetty queues overlapping writes and writes them in order, so there
 * the engine may have several in flight ({@link #maxSendsInFlight}); Tomcat refuses a second asynchronous write while
 * one is in flight, so everywhere else it has one, and a send that arrives during a ping starts when the ping is done.
 * Pings are sent only when no text frame is in flight. Pings and closes block in the Jakarta API, so they run on the
 * {@link Housekeeper}'s pool. Thread-safe.
 */
final class JakartaConnection implements Connection {

    private static final Logger log = LoggerFactory.getLogger(JakartaConnection.class);
    /** Close reasons are at most 123 bytes of UTF-8 (RFC 6455, 5.5). */
    private static final int MAX_REASON_BYTES = 123;
    /** Frames in flight on a container that queues overlapping writes; the engine bounds their bytes. */
    private static final int MAX_OVERLAPPING_SENDS = 16;

    private final Session session;
    private final Housekeeper housekeeper;
    private final long sendTimeoutNanos;
    private final long idleTimeoutNanos;
    private final long pingIntervalNanos;
    private final boolean overlappingWrites;
    /** The client's address, when the handshake told it. */
    private final InetAddress peer;
    private volatile ClientSession client;
    /** When the peer last showed it is alive: a frame or pong from it, or a frame it took from us. */
    private volatile long lastAlive;

    // Guarded by this.
    /** Text frames handed to the container and not yet written, oldest first; made by the first send. */
    private ArrayDeque<Write> inFlight;
    /** A send that arrived during a ping, where writes must not overlap; it starts when the ping is done. */
    private Write waitingForPing;
    private boolean pinging;
    private long pingStartedAt;
    private long lastPing;
    private boolean closed;

    JakartaConnection(Session session, ChatEndpointConfig config) {
        this(session, config, null);
    }

    JakartaConnection(Session session, ChatEndpointConfig config, InetAddress peer) {
        this(session, config, queuesOverlappingWrites(session), peer);
    }

    JakartaConnection(Session session, ChatEndpointConfig config, boolean overlappingWrites) {
        this(session, config, overlappingWrites, null);
    }

    private JakartaConnection(Session session, ChatEndpointConfig config, boolean overlappingWrites,
                              InetAddress peer) {
        this.session = session;
        this.peer = peer;
        this.housekeeper = config.housekeeper();
        this.sendTimeoutNanos = config.settings().sendTimeout().toNanos();
        this.idleTimeoutNanos = config.settings().idleTimeout().toNanos();
        this.pingIntervalNanos = config.settings().pingInterval().toNanos();
        this.overlappingWrites = overlappingWrites;
        this.lastAlive = housekeeper.nanoTime();
        this.lastPing = lastAlive;
    }

    /** Attaches the engine's side of this socket, once {@code engine.open} returned it, and starts watching it. */
    void bind(ClientSession clientSession) {
        this.client = clientSession;
        synchronized (this) {
            if (!closed) {
                housekeeper.add(this);
            }
        }
    }

    /** Something arrived from the client: it is alive. */
    void touch() {
        lastAlive = housekeeper.nanoTime();
    }

    /** Whether the container queues overlapping asynchronous writes and writes them in order, as Jetty's does. */
    private static boolean queuesOverlappingWrites(Session session) {
        return session.getClass().getName().startsWith("org.eclipse.jetty.");
    }

    /** The client's address, as the handshake gave it ({@link PeerAddresses}). */
    @Override
    public Optional<InetAddress> peerAddress() {
        return Optional.ofNullable(peer);
    }

    @Override
    public int maxSendsInFlight() {
        return overlappingWrites ? MAX_OVERLAPPING_SENDS : 1;
    }

    @Override
    public void send(String frame, SendCallback done) {
        Write write = new Write(frame, done, housekeeper.nanoTime());
        boolean refused = false;
        boolean start = false;
        synchronized (this) {
            if (closed) {
                refused = true;
            } else if (pinging && !overlappingWrites) {
                waitingForPing = write;
            } else {
                started(write);
                start = true;
            }
        }
        if (refused) {
            write.complete(new ClosedChannelException());
        } else if (start) {
            write(write);
        }
    }

    /** Counts {@code write} as in flight; called holding this. */
    private void started(Write write) {
        if (inFlight == null) {
            inFlight = new ArrayDeque<>(overlappingWrites ? 4 : 1);
        }
        inFlight.add(write);
    }

    private void write(Write write) {
        try {
            session.getAsyncRemote().sendText(write.frame, result -> written(write, failureOf(result)));
        } catch (RuntimeException e) {
            written(write, e);
        }
    }

    private static Throwable failureOf(SendResult result) {
        if (result.isOK()) {
            return null;
        }
        return result.getException() != null ? result.getException() : new IOException("send failed");
    }

    private void written(Write write, Throwable failure) {
        if (failure == null) {
            // A receive-only client under steady traffic always has a write outstanding, so it is never pinged;
            // a completed write is proof enough that it is alive (a dead peer stalls writes into the send timeout).
            lastAlive = housekeeper.nanoTime();
        }
        synchronized (this) {
            inFlight.remove(write);
        }
        write.complete(failure);
    }

    /** One visit of the housekeeper: time out a stuck send or ping, close an idle socket, or ping. */
    void housekeep(long now) {
        Write oldest;
        boolean pingStuck;
        synchronized (this) {
            if (closed) {
                return;
            }
            oldest = waitingForPing != null ? waitingForPing : inFlight == null ? null : inFlight.peekFirst();
            pingStuck = pinging && now - pingStartedAt > sendTimeoutNanos;
        }
        if (oldest != null && now - oldest.startedAt > sendTimeoutNanos) {
            log.debug("socket {}: send timed out; closing it as a slow consumer", clientId());
            abort(CloseCodes.SLOW_CONSUMER, "send timed out: reconnect and resume");
            failOutstanding(new SocketTimeoutException("send timed out"));
            return;
        }
        if (pingStuck) {
            log.debug("socket {}: ping timed out; closing it as a slow consumer", clientId());
            abort(CloseCodes.SLOW_CONSUMER, "send timed out: reconnect and resume");
            return;
        }
        if (now - lastAlive > idleTimeoutNanos) {
            log.debug("socket {}: idle timeout", clientId());
            abort(CloseCodes.GOING_AWAY, "idle timeout");
            return;
        }
        pingIfDue(now);
    }

    private void pingIfDue(long now) {
        synchronized (this) {
            boolean writing = waitingForPing != null || inFlight != null && !inFlight.isEmpty();
            if (closed || pinging || writing || now - lastPing < pingIntervalNanos) {
                return;
            }
            pinging = true;
            pingStartedAt = now;
            lastPing = now;
        }
        housekeeper.runBlocking(this::ping);
    }

    private void ping() {
        try {
            if (session.isOpen()) {
                session.getAsyncRemote().sendPing(ByteBuffer.allocate(0));
            }
        } catch (IOException | RuntimeException e) {
            log.debug("socket {}: ping failed", clientId(), e);
        } finally {
            Write waiting = null;
            synchronized (this) {
                pinging = false;
                if (waitingForPing != null && !closed) {
                    waiting = waitingForPing;
                    waitingForPing = null;
                    started(waiting);
                }
            }
            if (waiting != null) {
                write(waiting);
            }
        }
    }

    /** Closes the socket for a reason of the transport's own, and tells the engine, which did not ask for it. */
    void abort(int code, String reason) {
        close(code, reason);
        ClientSession session = client;
        if (session != null) {
            session.onClose();
        }
    }

    @Override
    public void close(int code, String reason) {
        if (!markClosed()) {
            return;
        }
        CloseReason closeReason = new CloseReason(CloseReason.CloseCodes.getCloseCode(code), truncate(reason));
        housekeeper.runBlocking(() -> {
            try {
                if (session.isOpen()) {
                    session.close(closeReason);
                }
            } catch (IOException | RuntimeException e) {
                log.debug("socket {}: close failed", clientId(), e);
            }
        });
    }

    /** The container closed the socket: stop watching it and fail a send that will never complete. */
    void closedByContainer() {
        markClosed();
        failOutstanding(new ClosedChannelException());
    }

    /** Fails every send not yet written; each completes once, whether here or from the container. */
    private void failOutstanding(Throwable failure) {
        List<Write> failed = new ArrayList<>();
        synchronized (this) {
            if (waitingForPing != null) {
                failed.add(waitingForPing);
                waitingForPing = null;
            }
            if (inFlight != null) {
                failed.addAll(inFlight);
                inFlight.clear();
            }
        }
        for (Write write : failed) {
            write.complete(failure);
        }
    }

    private boolean markClosed() {
        synchronized (this) {
            if (closed) {
                return false;
            }
            closed = true;
        }
        housekeeper.remove(this);
        return true;
    }

    private String clientId() {
        ClientSession session = client;
        return session == null ? "(opening)" : session.id();
    }

    static String truncate(String reason) {
        if (reason == null) {
            return "";
        }
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_REASON_BYTES) {
            return reason;
        }
        int end = reason.length();
        while (reason.substring(0, end).getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
            end--;
        }
        if (end > 0 && Character.isHighSurrogate(reason.charAt(end - 1))) {
            end--;
        }
        return reason.substring(0, end);
    }

    /** One engine send: completes exactly once, whichever of the container, a timeout or a close comes first. */
    private static final class Write {
        final String frame;
        final SendCallback done;
        final long startedAt;
        private final AtomicBoolean completed = new AtomicBoolean();

        Write(String frame, SendCallback done, long startedAt) {
            this.frame = frame;
            this.done = done;
            this.startedAt = startedAt;
        }

        void complete(Throwable failure) {
            if (completed.compareAndSet(false, true)) {
                done.completed(failure);
            }
        }
    }
}
