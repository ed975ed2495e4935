package dev.chatwire.core.spi;

import java.net.InetAddress;
import java.util.Optional;

/**
 * One client socket, as a transport hands it to the engine.
 *
 * <p>The engine owns the outbound queue: it has at most {@link #maxSendsInFlight()} {@link #send} calls outstanding on
 * one connection and makes them from one thread at a time, in the order the frames must reach the client, so the
 * transport needs no queue of its own. Both methods must return without blocking on the network.
 */
public interface Connection {

    /**
     * Starts writing one text frame and calls {@code done} exactly once, when the frame was written or the write
     * failed (with the failure), from any thread, possibly before this method returns.
     */
    void send(String frame, SendCallback done);

    /**
     * How many {@link #send} calls may be outstanding at once; read once, when the engine opens the connection. One by
     * default: the next frame starts when the previous one completed, which every container accepts (Tomcat refuses a
     * second asynchronous write while one is in flight). A transport whose container queues overlapping writes and
     * writes them in call order, as Jetty does, may allow more, so that a frame reaches the container without waiting
     * for the one before it and the container can write several in one go. The engine's queue bound counts frames in
     * flight, so this does not raise what a slow client can hold.
     */
    default int maxSendsInFlight() {
        return 1;
    }

    /**
     * The address of the peer at the other end of the socket, as the container saw it when the socket opened; empty
     * when the transport cannot tell. The engine counts sockets not yet authenticated per address
     * ({@code ChatLimits.maxUnauthenticatedPerAddress}); a socket of unknown address counts only in the node's total.
     * Behind a reverse proxy this is the proxy's address unless the container is told to take the client's from the
     * forwarding headers. Read once, when the engine opens the connection; must not block.
     */
    default Optional<InetAddress> peerAddress() {
        return Optional.empty();
    }

    /** Closes the socket with a WebSocket close code; closing a closed connection is harmless. */
    void close(int code, String reason);

    /** Called once when a {@link Connection#send} finished. */
    @FunctionalInterface
    interface SendCallback {
        /**
         * The write finished.
         *
         * @param failure why it failed, or {@code null} if it succeeded
         */
        void completed(Throwable failure);
    }
}
