package dev.chatwire.jetty;

import dev.chatwire.core.ClientSession;
import dev.chatwire.core.CloseCodes;
import dev.chatwire.core.spi.Connection;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.OutgoingEntry;
import org.eclipse.jetty.websocket.core.messages.StringMessageSink;
import org.eclipse.jetty.websocket.core.util.MethodHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One socket on Jetty's core WebSocket API: the {@link FrameHandler} Jetty drives, and the {@link Connection} the
 * engine writes to.
 *
 * <p>The engine may have several text frames in flight ({@link #maxSendsInFlight}): Jetty queues them and writes them
 * in order, gathering those that wait into one write. A ping goes out only when nothing of ours is in flight. A text
 * message is assembled by Jetty's {@link StringMessageSink}, made when the message starts and dropped when it ends, so
 * an idle socket holds no buffer; the next frame is demanded only once the last one was handled, so the engine sees
 * one frame at a time, in order. The {@link SocketSweep} visits it to ping, to close it when its oldest frame or ping
 * has waited longer than the send timeout, or to close it when idle. Thread-safe.
 */
final class JettyConnection implements FrameHandler, Connection {

    private static final Logger log = LoggerFactory.getLogger(JettyConnection.class);
    /** Enough for Jetty to gather an ack and the frames behind it into one write; the engine bounds the bytes. */
    private static final int MAX_SENDS_IN_FLIGHT = 16;
    private static final MethodHolder DELIVER;

    static {
        try {
            DELIVER = MethodHolder.from(MethodHandles.lookup().findVirtual(JettyConnection.class, "deliver",
                    MethodType.methodType(void.class, String.class)));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ChatWebSocketHandler owner;
    /** The handshake's bearer token, until the socket opens. */
    private String handshakeToken;
    /** The client's address, when the request told it. */
    private final InetAddress peer;
    private volatile CoreSession session;
    private volatile ClientSession client;
    /** The text message arriving, between its first and its last frame; Jetty delivers frames one at a time. */
    private StringMessageSink message;
    /** When the peer last showed it is alive: any frame from it, or a message it took from us. */
    private volatile long lastAlive = System.nanoTime();

    // Guarded by this.
    /** The engine's text frames handed to Jetty and not yet written, oldest first; made by the first send. */
    private ArrayDeque<Write> writes;
    private boolean pinging;
    private long pingStartedAt;
    private long lastPing = lastAlive;
    private boolean closed;

    JettyConnection(ChatWebSocketHandler owner, String handshakeToken, InetAddress peer) {
        this.owner = owner;
        this.handshakeToken = handshakeToken;
        this.peer = peer;
    }

    // ---- Jetty's side ----------------------------------------------------------------------------------------------

    /** Hands the socket to the engine and, when the handshake carried a token, authenticates it at once. */
    @Override
    public void onOpen(CoreSession coreSession, Callback callback) {
        ClientSession engineSide;
        try {
            this.session = coreSession;
            engineSide = owner.engine().open(this);
            this.client = engineSide;
            synchronized (this) {
                if (!closed) {
                    owner.sweep().add(this);
                }
            }
        } catch (RuntimeException e) {
            callback.failed(e);
            return;
        }
        callback.succeeded();
        String token = handshakeToken;
        handshakeToken = null;
        if (token != null) {
            engineSide.authenticate(token, Map.of());
        }
        coreSession.demand();
    }

    @Override
    public void onFrame(Frame frame, Callback callback) {
        lastAlive = System.nanoTime();
        switch (frame.getOpCode()) {
            case OpCode.TEXT -> {
                message = new StringMessageSink(session, DELIVER.bindTo(this), true);
                acceptText(frame, callback);
            }
            case OpCode.CONTINUATION -> {
                if (message != null) {
                    acceptText(frame, callback);
                } else {
                    // The rest of a binary message, whose first frame already closed the socket.
                    callback.succeeded();
                    session.demand();
                }
            }
            case OpCode.BINARY -> {
                callback.succeeded();
                abort(CloseCodes.UNSUPPORTED_DATA, "binary frames are not supported");
                // Keep reading: the client's answer to the close frame completes the close handshake.
                session.demand();
            }
            case OpCode.PING -> session.sendFrame(new Frame(OpCode.PONG, true, frame.getPayload()),
                    Callback.from(() -> {
                        callback.succeeded();
                        session.demand();
                    }, callback::failed), false);
            case OpCode.PONG -> {
                callback.succeeded();
                session.demand();
            }
            // CLOSE: Jetty answers it and then reports the socket closed.
            default -> callback.succeeded();
        }
    }

    /** Feeds a frame of the text message to its sink, which demands the next frame once it is done with this one. */
    private void acceptText(Frame frame, Callback callback) {
        StringMessageSink sink = message;
        if (frame.isFin()) {
            message = null;
        }
        sink.accept(frame, callback);
    }

    /** A whole text message arrived (called through {@link #DELIVER} by the sink). */
    void deliver(String text) {
        client.onText(text);
    }

    /** Logs the failure; Jetty closes the socket and calls {@link #onClosed} when it is fatal. */
    @Override
    public void onError(Throwable cause, Callback callback) {
        log.debug("socket {}: {}", clientId(), cause.toString());
        callback.succeeded();
    }

    /** Releases what the socket held in the engine and fails a send that can no longer complete. */
    @Override
    public void onClosed(CloseStatus closeStatus, Callback callback) {
        message = null;
        markClosed();
        failOutstanding(new ClosedChannelException());
        ClientSession engineSide = client;
        if (engineSide != null) {
            engineSide.onClose();
        }
        callback.succeeded();
    }

    // ---- The engine's side -----------------------------------------------------------------------------------------

    /** The address the upgrade request came from. */
    @Override
    public Optional<InetAddress> peerAddress() {
        return Optional.ofNullable(peer);
    }

    /** Jetty queues frames sent while others are being written and writes them in order, several at a time. */
    @Override
    public int maxSendsInFlight() {
        return MAX_SENDS_IN_FLIGHT;
    }

    @Override
    public void send(String frame, Connection.SendCallback done) {
        Write write = new Write(done, System.nanoTime());
        boolean refused;
        synchronized (this) {
            refused = closed;
            if (!refused) {
                if (writes == null) {
                    writes = new ArrayDeque<>(4);
                }
                writes.add(write);
            }
        }
        if (refused) {
            done.completed(new ClosedChannelException());
        } else {
            session.sendFrame(outgoing(new Frame(OpCode.TEXT, frame), write));
        }
    }

    @Override
    public void close(int code, String reason) {
        if (markClosed()) {
            // Jetty truncates the reason to the 123 bytes a close frame holds.
            session.close(code, reason, Callback.NOOP);
        }
    }

    /** One of our frames, with the write timeout after which Jetty drops the connection. */
    private OutgoingEntry outgoing(Frame frame, Callback callback) {
        return new OutgoingEntry.Builder(frame, callback).frameTimeout(owner.frameWriteTimeoutMillis()).build();
    }

    /** A text frame of the engine's went out or failed; Jetty closes the socket after a failed write. */
    private void written(Write write, Throwable failure) {
        boolean ours;
        synchronized (this) {
            ours = writes != null && writes.remove(write);
            if (failure == null) {
                // A receive-only client under steady traffic always has a send in flight, so it is never pinged; a
                // message it took is proof enough that it is alive (a dead peer stalls writes into the send timeout).
                lastAlive = System.nanoTime();
            }
        }
        if (failure != null) {
            log.debug("socket {}: write failed: {}", clientId(), failure.toString());
        }
        if (ours) {
            write.done.completed(failure);
        }
    }

    private void pinged() {
        synchronized (this) {
            pinging = false;
        }
    }

    /** Fails every send in flight; each completes once, whether here or from Jetty. */
    private void failOutstanding(Throwable failure) {
        List<Write> failed;
        synchronized (this) {
            if (writes == null || writes.isEmpty()) {
                return;
            }
            failed = List.copyOf(writes);
            writes.clear();
        }
        for (Write write : failed) {
            write.done.completed(failure);
        }
    }

    // ---- The sweep -------------------------------------------------------------------------------------------------

    /** One visit of the sweep: close a socket whose write is stuck or that went silent, or ping it when due. */
    void housekeep(long now) {
        SocketSweep sweep = owner.sweep();
        boolean stuck;
        boolean idle;
        boolean ping;
        synchronized (this) {
            if (closed) {
                return;
            }
            Write oldest = writes == null ? null : writes.peekFirst();
            boolean busy = pinging || oldest != null;
            long busySince = Math.min(pinging ? pingStartedAt : now, oldest != null ? oldest.startedAt : now);
            stuck = busy && now - busySince > sweep.sendTimeoutNanos();
            idle = !stuck && now - lastAlive > sweep.idleTimeoutNanos();
            ping = !stuck && !idle && !busy && now - lastPing >= sweep.pingIntervalNanos();
            if (ping) {
                pinging = true;
                pingStartedAt = now;
                lastPing = now;
            }
        }
        if (stuck) {
            log.debug("socket {}: send timed out; closing it as a slow consumer", clientId());
            abort(CloseCodes.SLOW_CONSUMER, "send timed out: reconnect and resume");
            failOutstanding(new SocketTimeoutException("send timed out"));
        } else if (idle) {
            log.debug("socket {}: idle timeout", clientId());
            abort(CloseCodes.GOING_AWAY, "idle timeout");
        } else if (ping) {
            session.sendFrame(outgoing(new Frame(OpCode.PING), Callback.from(this::pinged, failure -> pinged())));
        }
    }

    /** Closes the socket for a reason of the transport's own, and tells the engine, which did not ask for it. */
    private void abort(int code, String reason) {
        close(code, reason);
        ClientSession engineSide = client;
        if (engineSide != null) {
            engineSide.onClose();
        }
    }

    private boolean markClosed() {
        synchronized (this) {
            if (closed) {
                return false;
            }
            closed = true;
        }
        owner.sweep().remove(this);
        return true;
    }

    private String clientId() {
        ClientSession engineSide = client;
        return engineSide == null ? "(opening)" : engineSide.id();
    }

    /** One text frame of the engine's, as Jetty's callback for it. */
    private final class Write implements Callback {
        final Connection.SendCallback done;
        final long startedAt;

        Write(Connection.SendCallback done, long startedAt) {
            this.done = done;
            this.startedAt = startedAt;
        }

        @Override
        public void succeeded() {
            written(this, null);
        }

        @Override
        public void failed(Throwable failure) {
            written(this, failure);
        }
    }
}
