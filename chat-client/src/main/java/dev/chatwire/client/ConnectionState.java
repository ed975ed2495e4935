package dev.chatwire.client;

import java.time.Duration;
import java.util.Map;
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
     * @param historyAfter for each chat the user was added to under the server's history from join, the chat's seq
     *                     when it was added: it sees only what comes after it (as
     *                     {@link ChatJoinedEvent#historyAfter()} says of a chat joined while connected). Chats it
     *                     sees whole are not keys
     */
    record Connected(String userId, String connectionId, Map<String, Long> historyAfter) implements ConnectionState {

        /** Copies the map. */
        public Connected {
            historyAfter = Map.copyOf(historyAfter);
        }
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
