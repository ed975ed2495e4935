package dev.chatwire.client;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;

/**
 * One socket, from opening to its end: the WebSocket's listener, and what the {@link Connector} keeps of that socket.
 * The WebSocket calls the listener methods one at a time, so the partial text needs no lock; each only posts work to
 * the lane, where everything else is touched.
 */
final class SocketAttempt implements WebSocket.Listener {

    /** What becomes of a socket's callbacks; each method runs on the lane. */
    interface Handler {
        /** The socket opened; nothing was sent on it yet. */
        void opened(SocketAttempt attempt, WebSocket socket);

        /** A whole text frame arrived. */
        void received(SocketAttempt attempt, String frame);

        /** A ping or pong arrived: the socket lives. */
        void heard(SocketAttempt attempt);

        /** The server closed the socket. */
        void closed(SocketAttempt attempt, int statusCode, String reason);

        /** The connection failed. */
        void failed(SocketAttempt attempt, Throwable error);
    }

    private final Executor lane;
    private final Handler handler;
    private final StringBuilder partial = new StringBuilder();
    String token;
    WebSocket socket;
    FrameWriter writer;
    final Liveness liveness = new Liveness();
    ScheduledFuture<?> ticks;
    ScheduledFuture<?> refresh;

    SocketAttempt(Executor lane, Handler handler) {
        this.lane = lane;
        this.handler = handler;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        lane.execute(() -> handler.opened(this, webSocket));
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String frame = partial.toString();
            partial.setLength(0);
            lane.execute(() -> handler.received(this, frame));
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        lane.execute(() -> handler.heard(this));
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        lane.execute(() -> handler.heard(this));
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        lane.execute(() -> handler.closed(this, statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        lane.execute(() -> handler.failed(this, error));
    }

    /** Cancels the socket's timers and aborts it. */
    void stop() {
        cancelTimers();
        if (socket != null) {
            socket.abort();
        }
    }

    /** Cancels the socket's timers and closes it with 1000, aborting it once the close frame went out. */
    void closeNormally() {
        cancelTimers();
        if (socket != null) {
            socket.sendClose(ConnectionState.NORMAL_CLOSURE, "client closed")
                    .whenComplete((ignored, failure) -> socket.abort());
        }
    }

    private void cancelTimers() {
        if (ticks != null) {
            ticks.cancel(false);
        }
        if (refresh != null) {
            refresh.cancel(false);
        }
    }
}
