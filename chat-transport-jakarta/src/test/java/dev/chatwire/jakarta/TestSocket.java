package dev.chatwire.jakarta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/** A real Jakarta WebSocket client (Jetty's) that records every event it receives and how it was closed. */
final class TestSocket extends Endpoint {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final Duration PATIENCE = Duration.ofSeconds(10);
    static final Duration QUIET = Duration.ofMillis(400);

    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    private volatile Session session;

    /** Opens a socket, sending the given Origin and bearer token (either may be null) with the handshake. */
    static TestSocket open(WebSocketContainer container, URI uri, String origin, String bearer)
            throws IOException, jakarta.websocket.DeploymentException {
        TestSocket socket = new TestSocket();
        ClientEndpointConfig config = ClientEndpointConfig.Builder.create()
                .configurator(new ClientEndpointConfig.Configurator() {
                    @Override
                    public void beforeRequest(Map<String, List<String>> headers) {
                        if (origin != null) {
                            headers.put("Origin", List.of(origin));
                        }
                        if (bearer != null) {
                            headers.put("Authorization", List.of("Bearer " + bearer));
                        }
                    }
                }).build();
        container.connectToServer(socket, config, uri);
        return socket;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        this.session = session;
        session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> {
            try {
                events.add(JSON.readTree(text));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override
    public void onClose(Session session, CloseReason closeReason) {
        closed.complete(closeReason);
    }

    void send(String frame) {
        try {
            session.getBasicRemote().sendText(frame);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts sending a frame the server may refuse (and close on) before it has all arrived. */
    void sendWithoutWaiting(String frame) {
        session.getAsyncRemote().sendText(frame);
    }

    void send(Map<String, ?> command) {
        try {
            send(JSON.writeValueAsString(command));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void sendBinary(byte[] data) {
        try {
            session.getBasicRemote().sendBinary(ByteBuffer.wrap(data));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the first event of this type that matches. */
    JsonNode awaitEvent(String type, Predicate<JsonNode> matching) {
        return awaitEvent(type, matching, PATIENCE);
    }

    /** Waits up to {@code patience} for the first event of this type that matches. */
    JsonNode awaitEvent(String type, Predicate<JsonNode> matching, Duration patience) {
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10)).atMost(patience)
                .until(() -> find(type, matching) != null);
        return find(type, matching);
    }

    JsonNode awaitEvent(String type) {
        return awaitEvent(type, event -> true);
    }

    private JsonNode find(String type, Predicate<JsonNode> matching) {
        return events.stream().filter(e -> type.equals(e.path("type").asText()) && matching.test(e))
                .findFirst().orElse(null);
    }

    /** The type of every event received so far, in order. */
    List<String> types() {
        return events.stream().map(e -> e.path("type").asText()).toList();
    }

    /** Every event of this type received so far, in order. */
    List<JsonNode> all(String type) {
        return events.stream().filter(e -> type.equals(e.path("type").asText())).toList();
    }

    /** Every event received so far that matches, in order. */
    List<JsonNode> all(Predicate<JsonNode> matching) {
        return events.stream().filter(matching).toList();
    }

    /** Checks that no matching event arrives during a short quiet period. */
    void assertNone(String type, Predicate<JsonNode> matching) {
        await().pollInterval(Duration.ofMillis(20)).during(QUIET).atMost(QUIET.plusSeconds(2))
                .until(() -> find(type, matching) == null);
    }

    /** Waits for the server to close the socket and returns the close code. */
    int awaitCloseCode() {
        try {
            return closed.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS).getCloseCode().getCode();
        } catch (Exception e) {
            throw new AssertionError("the socket was not closed within " + PATIENCE, e);
        }
    }

    /** Waits for the server to close the socket and returns the close reason. */
    String awaitCloseReason() {
        try {
            return closed.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS).getReasonPhrase();
        } catch (Exception e) {
            throw new AssertionError("the socket was not closed within " + PATIENCE, e);
        }
    }

    boolean isOpen() {
        return session.isOpen() && !closed.isDone();
    }

    /** Drops the connection from the client side. */
    void close() {
        try {
            session.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            closed.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("the socket did not close", e);
        }
    }
}
