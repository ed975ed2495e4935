package dev.chatwire.benchmark;

import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;

import java.util.concurrent.CompletableFuture;

/**
 * One simulated device: a WebSocket on Jetty's core client that authenticates with a {@code connect} frame and hands
 * every server frame to its {@link Listener}. Frames of one socket arrive one at a time.
 *
 * <p>It reads with explicit demand: Jetty's core client reads no frame, control frames included, until
 * {@link CoreSession#demand()} asks for one, and the socket asks for the next once it handled the last. A socket
 * told to {@link #stopReading()} stops asking, so the client stops reading from the network: the kernel's receive
 * buffer fills, the TCP window closes, and what the server sends next waits on the server's side.
 */
final class ClientSocket implements FrameHandler {

    /** What a workload does with the frames of its sockets. Called on client I/O threads: keep it short. */
    interface Listener {
        /** Any frame but the {@code connected} or {@code error} frame that answers the {@code connect} frame. */
        void onFrame(ClientSocket socket, String type, String frame);

        /** The socket closed; {@code expected} when the client closed it. */
        default void onClosed(ClientSocket socket, CloseStatus status, boolean expected) {
        }
    }

    private final int index;
    private final String connectFrame;
    private final Listener listener;
    private final CompletableFuture<String> connected = new CompletableFuture<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private final TextFrames textFrames = new TextFrames();
    private volatile CoreSession session;
    private volatile boolean closing;
    // Guarded by this: whether frames are to be read, and whether a demand was held back since they are not.
    private boolean reading = true;
    private boolean withheld;

    /** A socket whose {@code connect} frame carries the token and {@code resume} (a JSON object), unless it is null. */
    ClientSocket(int index, String token, String resume, Listener listener) {
        this.index = index;
        this.connectFrame = "{\"type\":\"connect\",\"token\":\"" + token + "\""
                + (resume == null ? "" : ",\"resume\":" + resume) + "}";
        this.listener = listener;
    }

    /** This socket's number within its workload. */
    int index() {
        return index;
    }

    /** Completes with the {@code connected} frame; exceptionally on an {@code error} frame, an error or a close. */
    CompletableFuture<String> connected() {
        return connected;
    }

    /** Completes with a description of the close status when the socket closes. */
    CompletableFuture<String> closed() {
        return closed;
    }

    /** Sends a text frame; returns false if the socket is not open. */
    boolean send(String text) {
        return send(new Frame(OpCode.TEXT, text));
    }

    /**
     * Sends an unsolicited pong (a heartbeat, RFC 6455 section 5.5.3): inbound traffic for both servers' idle
     * timeouts, which Jakarta containers hand to the endpoint as a {@code PongMessage}, unlike a ping.
     */
    void heartbeat() {
        send(new Frame(OpCode.PONG));
    }

    private boolean send(Frame frame) {
        CoreSession current = session;
        boolean open = current != null && current.isOutputOpen();
        if (open) {
            current.sendFrame(frame, Callback.NOOP, false);
        }
        return open;
    }

    void close() {
        closing = true;
        CoreSession current = session;
        if (current != null) {
            current.close(CloseStatus.NORMAL, "done", Callback.NOOP);
        }
    }

    /**
     * Stops reading: once the frame already asked for (if any) arrives, the socket asks for no other, so the client
     * leaves everything else in the kernel's receive buffer, even a close frame.
     */
    synchronized void stopReading() {
        reading = false;
    }

    /** Reads again after {@link #stopReading()}, from the frame it held back its demand for. */
    void resumeReading() {
        boolean demand;
        synchronized (this) {
            reading = true;
            demand = withheld;
            withheld = false;
        }
        if (demand) {
            session.demand();
        }
    }

    /** Whether to ask for the next frame now; if not, remembers that the demand is owed. */
    private synchronized boolean demandNext() {
        withheld = !reading;
        return reading;
    }

    @Override
    public void onOpen(CoreSession coreSession, Callback callback) {
        this.session = coreSession;
        callback.succeeded();
        coreSession.sendFrame(new Frame(OpCode.TEXT, connectFrame), Callback.NOOP, false);
        coreSession.demand();
    }

    @Override
    public void onFrame(Frame frame, Callback callback) {
        byte opCode = frame.getOpCode();
        String text = opCode == OpCode.TEXT || opCode == OpCode.CONTINUATION ? textFrames.accept(frame) : null;
        if (text != null) {
            dispatch(text);
        }
        callback.succeeded();
        if (opCode != OpCode.CLOSE && demandNext()) {
            session.demand();
        }
    }

    private void dispatch(String text) {
        String type = FrameScanner.type(text);
        if (connected.isDone()) {
            listener.onFrame(this, type, text);
        } else if (type.equals("connected")) {
            connected.complete(text);
        } else if (type.equals("error")) {
            connected.completeExceptionally(new IllegalStateException("refused: " + text));
        } else {
            listener.onFrame(this, type, text);
        }
    }

    @Override
    public void onError(Throwable cause, Callback callback) {
        connected.completeExceptionally(cause);
        callback.succeeded();
    }

    @Override
    public void onClosed(CloseStatus closeStatus, Callback callback) {
        connected.completeExceptionally(new IllegalStateException("closed before connected: " + closeStatus));
        closed.complete(String.valueOf(closeStatus));
        listener.onClosed(this, closeStatus, closing);
        callback.succeeded();
    }
}
