package dev.chatwire.examples;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/** One user talking to one example server over REST and, once {@link #connect}ed, over a socket. */
final class ChatClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final int port;
    private final String token;
    final String userId;
    final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    private WebSocket socket;

    ChatClient(int port, String userId, byte[] secret) {
        this.port = port;
        this.userId = userId;
        this.token = JWT.create().withSubject(userId).withExpiresAt(Instant.now().plusSeconds(3600))
                .sign(Algorithm.HMAC256(secret));
    }

    /** Opens the socket, authenticates and waits for {@code connected}. */
    ChatClient connect() {
        return connect(java.util.Map.of());
    }

    /**
     * Opens a socket, authenticates resuming each chat after the given seq, and waits for its {@code connected}; the
     * frames of any earlier socket of this client are forgotten.
     */
    ChatClient connect(java.util.Map<String, Long> resume) {
        if (socket != null) {
            socket.abort();
        }
        frames.clear();
        StringBuilder partial = new StringBuilder();
        socket = HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"),
                new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            try {
                                frames.add(JSON.readTree(partial.toString()));
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                            partial.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }
                }).join();
        try {
            socket.sendText(JSON.writeValueAsString(java.util.Map.of("type", "connect", "token", token, "resume",
                    resume)), true).join();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        awaitFrame("connected", frame -> true);
        return this;
    }

    JsonNode awaitFrame(String type, Predicate<JsonNode> matching) {
        await().atMost(Duration.ofSeconds(20)).until(() -> ofType(type).stream().anyMatch(matching));
        return ofType(type).stream().filter(matching).findFirst().orElseThrow();
    }

    List<JsonNode> ofType(String type) {
        return frames.stream().filter(frame -> type.equals(frame.path("type").asText())).toList();
    }

    /** The texts of the {@code new_message} events received for a chat, in arrival order. */
    List<String> texts(String chatId) {
        return ofType("new_message").stream()
                .filter(frame -> chatId.equals(frame.path("message").path("chatId").asText()))
                .map(frame -> frame.path("message").path("text").asText())
                .toList();
    }

    JsonNode post(String path, String json) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Sends a request with any method and a JSON body (or none, when {@code json} is null). */
    JsonNode request(String method, String path, String json) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json").method(method,
                json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)));
    }

    /** The status a request with any method answers, whatever it is. */
    int status(String method, String path, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20)).method(method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The seqs of the timeline entries received for a chat ({@code new_message} and {@code message_updated}). */
    List<Long> timelineSeqs(String chatId) {
        return frames.stream()
                .filter(frame -> frame.path("type").asText().equals("new_message")
                        && chatId.equals(frame.path("message").path("chatId").asText())
                        || frame.path("type").asText().equals("message_updated")
                        && chatId.equals(frame.path("chatId").asText()))
                .map(frame -> frame.has("seq") ? frame.path("seq").asLong()
                        : frame.path("message").path("seq").asLong())
                .toList();
    }

    JsonNode get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private JsonNode send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = HTTP.send(request.header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new AssertionError(request.build().uri() + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    }

    /** Creates a chat with these other participants and returns its id. */
    String createChat(String... others) throws Exception {
        return post("/api/chats", JSON.writeValueAsString(java.util.Map.of("participants", List.of(others))))
                .path("chat").path("id").asText();
    }

    /** Posts a text message over REST and returns the stored message. */
    JsonNode postText(String chatId, String text) throws Exception {
        return post("/api/messages", JSON.writeValueAsString(java.util.Map.of("chatId", chatId, "text", text)))
                .path("messages").get(0);
    }

    /** The bearer token this client presents. */
    String token() {
        return token;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
    }
}
