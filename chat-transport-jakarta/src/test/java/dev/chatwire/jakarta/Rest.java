package dev.chatwire.jakarta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A real HTTP client (java.net.http) for the REST API. */
public final class Rest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    /** A client of the API served on this port of 127.0.0.1. */
    public Rest(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public HttpResponse<String> get(String path, String token) {
        return send(request(path, token).GET(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> getBytes(String path, String token) {
        return send(request(path, token).GET(), HttpResponse.BodyHandlers.ofByteArray());
    }

    public HttpResponse<String> postJson(String path, String token, String json) {
        return post(path, token, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<String> post(String path, String token, String contentType, byte[] body) {
        HttpRequest.Builder request = request(path, token).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> patchJson(String path, String token, String json) {
        return patch(path, token, "application/json", json);
    }

    HttpResponse<String> patch(String path, String token, String contentType, String body) {
        return send(request(path, token).header("Content-Type", contentType)
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String token, Multipart form) {
        return post(path, token, form.contentType(), form.body());
    }

    HttpResponse<String> put(String path, String token) {
        return send(request(path, token).PUT(HttpRequest.BodyPublishers.noBody()),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> delete(String path, String token) {
        return send(request(path, token).DELETE(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request.build(), handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Creates a chat of {@code creator} and {@code others} as {@code creator}, and returns its id; fails unless 201.
     */
    public String createChat(String creator, String... others) {
        List<String> quoted = new ArrayList<>();
        for (String other : others) {
            quoted.add("\"" + other + "\"");
        }
        HttpResponse<String> response = postJson("/api/chats", Tokens.valid(creator),
                "{\"participants\":[" + String.join(",", quoted) + "],\"name\":\"test chat\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json(response).path("chat").path("id").asText();
    }

    /** Posts a text message to a chat as {@code sender}; fails unless 201. */
    public void sendText(String sender, String chatId, String text) {
        HttpResponse<String> response = postJson("/api/messages", Tokens.valid(sender),
                "{\"chatId\":\"" + chatId + "\",\"text\":\"" + text + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    public static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }

    /** A multipart/form-data body, built the way a browser's FormData is sent. */
    static final class Multipart {
        private final String boundary = "----chatwire" + UUID.randomUUID().toString().replace("-", "");
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        Multipart field(String name, String value) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n");
            write(value);
            write("\r\n");
            return this;
        }

        Multipart file(String name, String fileName, String claimedType, byte[] content) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\""
                    + fileName + "\"\r\nContent-Type: " + claimedType + "\r\n\r\n");
            body.writeBytes(content);
            write("\r\n");
            return this;
        }

        String contentType() {
            return "multipart/form-data; boundary=" + boundary;
        }

        byte[] body() {
            ByteArrayOutputStream copy = new ByteArrayOutputStream();
            copy.writeBytes(body.toByteArray());
            copy.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return copy.toByteArray();
        }

        private void write(String text) {
            body.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
