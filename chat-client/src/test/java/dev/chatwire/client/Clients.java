package dev.chatwire.client;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Builds the clients of one test, with quick reconnects and pings every second, and closes them all at its end.
 * The pings matter where a test cuts a link: java.net.http does not always tell its listener that the peer closed the
 * connection, and then the client finds out from its unanswered ping, as it would after a silent drop.
 */
final class Clients implements AutoCloseable {

    /** Short enough to find a cut link within two seconds, long enough for a pong on a loaded build machine. */
    static final Duration PING_INTERVAL = Duration.ofSeconds(1);

    private final List<ChatClient> made = new ArrayList<>();

    /** A client of {@code userId} on this socket URI with a valid one-hour token, not connected yet. */
    ChatClient of(String userId, URI socket) {
        return of(userId, socket, builder -> builder);
    }

    /** The same, configured further by {@code more}. */
    ChatClient of(String userId, URI socket, UnaryOperator<ChatClient.Builder> more) {
        ChatClient client = more.apply(ChatClient.builder()
                .uri(socket)
                .token(() -> Tokens.valid(userId))
                .backoff(Duration.ofMillis(50), Duration.ofMillis(500))
                .pingInterval(PING_INTERVAL)).build();
        made.add(client);
        return client;
    }

    @Override
    public void close() {
        made.forEach(ChatClient::close);
    }
}
