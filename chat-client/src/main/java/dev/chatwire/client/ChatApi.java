package dev.chatwire.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The server's REST API (docs/protocol.md), with the client's token: chats, history and uploads.
 *
 * <p>Every call is asynchronous on the client's {@link HttpClient}; a non-2xx answer fails the future with a
 * {@link ChatRefusedException} carrying the server's error code. A 401 asks the token supplier for a new token and
 * tries once more. Thread-safe.
 */
public final class ChatApi {

    private static final ObjectMapper JSON = Frames.JSON;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final URI base;
    private final TokenSource tokens;

    ChatApi(HttpClient http, URI base, TokenSource tokens) {
        this.http = http;
        this.base = base;
        this.tokens = tokens;
    }

    /**
     * The chats the user takes part in, newest activity first: the first page of the server's chat list (as many as
     * its history page size, 100 by default).
     */
    public CompletableFuture<List<Chat>> chats() {
        return call(() -> HttpRequest.newBuilder(uri("chats")).GET(), body -> list(body.get("chats"), Chat.class));
    }

    /** Creates a chat with these participants besides the user; {@code name} may be {@code null}. */
    public CompletableFuture<Chat> createChat(Collection<String> participants, String name) {
        ObjectNode request = JSON.createObjectNode();
        participants.forEach(request.putArray("participants")::add);
        if (name != null) {
            request.put("name", name);
        }
        String json = request.toString();
        return call(() -> jsonPost(uri("chats"), json), body -> value(body.get("chat"), Chat.class));
    }

    /** Adds a user to a chat (the chat's owner and admins may); its members hear a {@link ChatUpdatedEvent}. */
    public CompletableFuture<Chat> addParticipant(String chatId, String userId) {
        String json = JSON.createObjectNode().put("userId", userId).toString();
        return call(() -> jsonPost(uri("chats/" + encode(chatId) + "/participants"), json),
                body -> value(body.get("chat"), Chat.class));
    }

    /** Removes a user from a chat (the owner and admins may remove others; anyone may leave). */
    public CompletableFuture<Chat> removeParticipant(String chatId, String userId) {
        URI uri = uri("chats/" + encode(chatId) + "/participants/" + encode(userId));
        return call(() -> HttpRequest.newBuilder(uri).DELETE(), body -> value(body.get("chat"), Chat.class));
    }

    /** A page of a chat's history, oldest first. */
    public CompletableFuture<List<Message>> history(String chatId, HistoryPage page) {
        URI uri = uri("chats/" + encode(chatId) + "/messages?" + page.query());
        return call(() -> HttpRequest.newBuilder(uri).GET(), body -> list(body.get("messages"), Message.class));
    }

    /** Replaces the text of one's own message; every participant receives the change. */
    public CompletableFuture<MessageUpdate> editMessage(String chatId, String messageId, String text) {
        String json = JSON.createObjectNode().put("text", text).toString();
        return call(() -> HttpRequest.newBuilder(messageUri(chatId, messageId)).header("Content-Type",
                "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)),
                body -> update(chatId, body));
    }

    /** Deletes one's own message: its text and file are gone for everyone. */
    public CompletableFuture<MessageUpdate> deleteMessage(String chatId, String messageId) {
        return call(() -> HttpRequest.newBuilder(messageUri(chatId, messageId)).DELETE(), body -> update(chatId, body));
    }

    /** Adds ({@code active}) or removes the user's reaction to a message: one emoji. */
    public CompletableFuture<MessageUpdate> react(String chatId, String messageId, String emoji, boolean active) {
        URI uri = URI.create(messageUri(chatId, messageId) + "/reactions/" + encode(emoji));
        return call(() -> active ? HttpRequest.newBuilder(uri).PUT(HttpRequest.BodyPublishers.noBody())
                : HttpRequest.newBuilder(uri).DELETE(), body -> update(chatId, body));
    }

    private URI messageUri(String chatId, String messageId) {
        return uri("chats/" + encode(chatId) + "/messages/" + encode(messageId));
    }

    private static MessageUpdate update(String chatId, JsonNode body) {
        return new MessageUpdate(chatId, body.path("seq").asLong(), value(body.get("message"), Message.class));
    }

    /**
     * Sends files (and an optional caption, {@code text} may be {@code null}) to a chat: the stored messages, the
     * text first, then one per file. Retried under the same idempotency key after a 401, so it is stored once.
     */
    public CompletableFuture<List<Message>> upload(String chatId, String text, List<Path> files) {
        MultipartBody multipart = new MultipartBody().field("clientMessageId", UUID.randomUUID().toString());
        if (text != null) {
            multipart.field("text", text);
        }
        try {
            for (Path file : files) {
                multipart.file("file", file.getFileName().toString(), Files.readAllBytes(file));
            }
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new UncheckedIOException(e));
        }
        byte[] bytes = multipart.bytes();
        // The chat's own route: the server checks the membership before it reads the files.
        URI uri = uri("chats/" + encode(chatId) + "/messages");
        return call(() -> HttpRequest.newBuilder(uri).header("Content-Type", multipart.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)),
                body -> list(body.get("messages"), Message.class));
    }

    private <T> CompletableFuture<T> call(Supplier<HttpRequest.Builder> request, Function<JsonNode, T> answer) {
        return tokens.current()
                .thenCompose(token -> exchange(request.get(), token))
                .thenCompose(response -> response.statusCode() == 401
                        ? tokens.fresh().thenCompose(token -> exchange(request.get(), token))
                        : CompletableFuture.completedFuture(response))
                .thenApply(response -> answer.apply(body(response)));
    }

    private CompletableFuture<HttpResponse<String>> exchange(HttpRequest.Builder request, String token) {
        return http.sendAsync(request.header("Authorization", "Bearer " + token).timeout(REQUEST_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static JsonNode body(HttpResponse<String> response) {
        JsonNode body;
        try {
            body = response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            String code = response.statusCode() / 100 == 2 ? "invalid" : "http_" + response.statusCode();
            throw new ChatRefusedException(code, "HTTP " + response.statusCode() + " with a body that is not JSON");
        }
        if (response.statusCode() / 100 != 2) {
            JsonNode error = body.path("error");
            throw new ChatRefusedException(error.path("code").asText("http_" + response.statusCode()),
                    error.path("message").asText("HTTP " + response.statusCode()));
        }
        return body;
    }

    private static HttpRequest.Builder jsonPost(URI uri, String json) {
        return HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    }

    private static <T> T value(JsonNode node, Class<T> type) {
        try {
            return JSON.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new ChatRefusedException("invalid", "unexpected answer: " + e.getOriginalMessage());
        }
    }

    private static <T> List<T> list(JsonNode array, Class<T> type) {
        List<T> values = new ArrayList<>();
        if (array != null) {
            array.forEach(node -> values.add(value(node, type)));
        }
        return List.copyOf(values);
    }

    private URI uri(String path) {
        return base.resolve(path);
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
