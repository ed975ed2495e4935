package dev.chatwire.client;

import java.time.Duration;
import java.util.Optional;

/** Where the client's socket stands; every change reaches the {@link ChatClient#onState} listeners. */
public sealed interface ConnectionState {

    /** The close code of an end without a close frame: the TCP connection dropped, or the link went silent. */
    int ABNORMAL_CLOSURE = 1006;

    /** The close code the client uses when the application closes it. */
    int NORMAL_CLOSURE = 1000;

    /**
     * The client is opening a socket and authenticating.
     *
     * @param attempt 1 for the first try since the last successful connect, then 2, 3, ...
     */
    record Connecting(int attempt) implements ConnectionState {
    }

    /**
     * The server accepted the token; events flow, missed messages first.
     *
     * @param userId       the user the token names
     * @param connectionId the server's id for this socket
     */
    record Connected(String userId, String connectionId) implements ConnectionState {
    }

    /**
     * The socket is gone.
     *
     * @param closeCode the WebSocket close code: the server's (see docs/protocol.md), {@link #ABNORMAL_CLOSURE} when
     *                  the connection dropped or the link went silent, {@link #NORMAL_CLOSURE} after
     *                  {@link ChatClient#close()}
     * @param reason    the close reason or what failed
     * @param retryIn   how long until the next attempt, or {@code null} when the client will not reconnect
     */
    record Disconnected(int closeCode, String reason, Duration retryIn) implements ConnectionState {

        /** How long until the next attempt; empty when the client was closed and will not reconnect. */
        public Optional<Duration> nextAttemptIn() {
            return Optional.ofNullable(retryIn);
        }
    }
}
