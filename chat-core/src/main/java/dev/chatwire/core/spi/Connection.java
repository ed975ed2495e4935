package dev.chatwire.core.spi;

/**
 * One client socket, as a transport hands it to the engine.
 *
 * <p>The engine owns the outbound queue: it never has two {@link #send} calls outstanding on one connection, so the
 * transport needs no queue of its own. Both methods must return without blocking on the network.
 */
public interface Connection {

    /**
     * Starts writing one text frame and calls {@code done} exactly once, when the frame was written or the write
     * failed (with the failure), from any thread, possibly before this method returns.
     */
    void send(String frame, SendCallback done);

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
