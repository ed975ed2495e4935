package dev.chatwire.client;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Builds the clients of one test, with quick reconnects, and closes them all at its end. */
final class Clients implements AutoCloseable {

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
                .backoff(Duration.ofMillis(50), Duration.ofMillis(500))).build();
        made.add(client);
        return client;
    }

    @Override
    public void close() {
        made.forEach(ChatClient::close);
    }
}
