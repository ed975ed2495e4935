package dev.chatwire.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** An example server as a newcomer meets it: the page, the demo sign-in, the API and the socket, on a free port. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ExampleServerSuite {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** More than either container's default pool of 200 threads, as in the attack this guards against. */
    private static final int TRICKLING_CLIENTS = 250;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private RunningServer server;

    /** Starts the example server under test. */
    protected abstract RunningServer start(ServerSettings settings) throws Exception;

    @BeforeAll
    void startServer() throws Exception {
        server = start(ServerSettings.forTests());
    }

    @AfterAll
    void stopServer() throws Exception {
        server.stop();
    }

    @Test
    void servesThePageAndNothingElseFromTheClasspath() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html"));
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                csp -> assertThat(csp).contains("default-src 'self'"));
        assertThat(page.body()).contains("Chatwire").contains("app.js");
        assertThat(get("/app.js").statusCode()).isEqualTo(200);
        assertThat(get("/client/index.js").statusCode()).isEqualTo(200);
        assertThat(get("/client/no-such-module.js").statusCode()).isEqualTo(404);
        assertThat(get("/app.css").statusCode()).isEqualTo(200);
        assertThat(get("/simplelogger.properties").statusCode()).isEqualTo(404);
        assertThat(get("/static/index.html").statusCode()).isEqualTo(404);
    }

    @Test
    void aDemoTokenOpensTheApiAndTheSocketFromTheServersOwnOrigin() throws Exception {
        String token = demoToken("alice");

        HttpResponse<String> chats = http.send(HttpRequest.newBuilder(uri("/api/chats"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(chats.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(chats.body()).path("chats").isArray()).isTrue();

        WebSocket socket = connect(token, new CopyOnWriteArrayList<>());
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
    }

    @Test
    void aMessageSentOverOneSocketIsAckedAndReachesTheOtherParticipantsSocket() throws Exception {
        String aliceToken = demoToken("alice-" + System.nanoTime());
        String bob = "bob-" + System.nanoTime();
        String bobToken = demoToken(bob);
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(uri("/api/chats"))
                .header("Authorization", "Bearer " + aliceToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"participants\":[\"" + bob + "\"]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String chatId = JSON.readTree(created.body()).path("chat").path("id").asText();
        List<String> aliceFrames = new CopyOnWriteArrayList<>();
        List<String> bobFrames = new CopyOnWriteArrayList<>();
        WebSocket alice = connect(aliceToken, aliceFrames);
        WebSocket bobSocket = connect(bobToken, bobFrames);

        alice.sendText("{\"type\":\"send\",\"chatId\":\"" + chatId + "\",\"text\":\"hello bob\","
                + "\"clientMessageId\":\"m-1\"}", true).join();

        await().atMost(Duration.ofSeconds(10)).until(() -> aliceFrames.stream().anyMatch(f -> f.contains("\"ack\"")
                && f.contains("\"m-1\"")));
        await().atMost(Duration.ofSeconds(10)).until(() -> bobFrames.stream().anyMatch(
                f -> f.contains("\"new_message\"") && f.contains("hello bob")));
        alice.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
        bobSocket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
    }

    /** Opens a socket from the server's own origin and authenticates it with a connect frame. */
    private WebSocket connect(String token, List<String> frames) {
        WebSocket socket = http.newWebSocketBuilder()
                .header("Origin", "http://localhost:" + server.port())
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws"), collecting(frames))
                .join();
        socket.sendText("{\"type\":\"connect\",\"token\":\"" + token + "\"}", true).join();
        await().atMost(Duration.ofSeconds(10)).until(() -> frames.stream().anyMatch(f -> f.contains("\"connected\"")));
        return socket;
    }

    @Test
    void aForeignOriginCannotOpenASocket() {
        assertThatThrownBy(() -> http.newWebSocketBuilder()
                .header("Origin", "http://evil.example")
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws"), collecting(List.of()))
                .join())
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode())
                        .isEqualTo(403));
    }

    @Test
    void theDemoSignInRefusesUserIdsThatAreNotPlainNames() throws Exception {
        for (String body : List.of("{\"userId\":\"a b\"}", "{\"userId\":\"\"}", "{}", "not json")) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/demo/token"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(body).isEqualTo(400);
        }
    }

    @Test
    void theDemoSignInTakesOnlyJsonSoThatAnotherSitesFormCannotPostToIt() throws Exception {
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data")) {
            // A connection of its own each: a server may close one after refusing its body unread, and a pooled
            // connection it is closing fails the next request with "header parser received no bytes".
            HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> response = fresh.send(HttpRequest.newBuilder(uri("/demo/token"))
                    .header("Content-Type", type)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"alice\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(type).isEqualTo(415);
            assertThat(response.body()).doesNotContain("token\"");
        }
    }

    @Test
    void theDemoSignInRefusesABodyOverItsBoundWith413() throws Exception {
        String large = "{\"userId\":\"" + "a".repeat(2_000) + "\"}";
        String answer = raw("POST /demo/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + large.length() + "\r\nConnection: close\r\n\r\n" + large);
        assertThat(answer).startsWith("HTTP/1.1 413").contains("\"too_large\"").doesNotContain("token\"");
    }

    @Test
    void requestsNamingAnotherHostAreRefusedWith421AndTheServersOwnNamesAnswer() throws Exception {
        String signIn = "{\"userId\":\"alice\"}";
        for (String host : List.of("evil.example", "evil.example:" + server.port(), "127.0.0.1.evil.example")) {
            String answer = raw("POST /demo/token HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + signIn.length() + "\r\nConnection: close\r\n\r\n" + signIn);
            assertThat(answer).as(host).startsWith("HTTP/1.1 421").doesNotContain("token\"");
        }
        for (String host : List.of("localhost:" + server.port(), "127.0.0.1:" + server.port(), "LOCALHOST")) {
            String answer = raw("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
            assertThat(answer).as(host).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void noResponseNamesTheServersSoftwareOrVersion() throws Exception {
        for (String path : List.of("/", "/api/chats", "/no-such-page")) {
            HttpResponse<String> response = get(path);
            assertThat(response.headers().firstValue("Server")).as(path).isEmpty();
            assertThat(response.headers().firstValue("X-Powered-By")).as(path).isEmpty();
        }
    }

    @Test
    void aFloodOfMultipartPartsIs413() throws Exception {
        String token = demoToken("flooder-" + System.nanoTime());
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(uri("/api/chats"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"participants\":[]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        String chatId = JSON.readTree(created.body()).path("chat").path("id").asText();
        StringBuilder form = new StringBuilder();
        for (int i = 0; i < 600; i++) {
            form.append("--b\r\nContent-Disposition: form-data; name=\"x").append(i).append("\"\r\n\r\ny\r\n");
        }
        form.append("--b--\r\n");

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/api/chats/" + chatId + "/messages"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "multipart/form-data; boundary=b")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
    }

    @Test
    void clientsTricklingRequestBodiesHoldNoThreadsSoOtherRequestsAreAnsweredWithinASecond() throws Exception {
        String token = demoToken("lister-" + System.nanoTime());
        String tricklersToken = demoToken("trickler-" + System.nanoTime());
        HttpRequest chats = HttpRequest.newBuilder(uri("/api/chats"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(5)).build();
        // Warms the client and the route, so that only the trickling clients can slow the measured request.
        http.send(chats, HttpResponse.BodyHandlers.ofString());
        List<Socket> trickling = new ArrayList<>();
        try {
            // Each sends the head and one byte of a body it says is 100 bytes long, then nothing: a servlet reading
            // that body on a pool thread would hold the thread until the connection times out. Half sign in without
            // a token, half create chats with one.
            for (int i = 0; i < TRICKLING_CLIENTS; i++) {
                Socket socket = new Socket("127.0.0.1", server.port());
                trickling.add(socket);
                String head = i % 2 == 0 ? "POST /demo/token HTTP/1.1\r\n"
                        : "POST /api/chats HTTP/1.1\r\nAuthorization: Bearer " + tricklersToken + "\r\n";
                socket.getOutputStream().write((head + "Host: 127.0.0.1\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
                        .getBytes(StandardCharsets.ISO_8859_1));
            }

            long start = System.nanoTime();
            HttpResponse<String> list = http.send(chats, HttpResponse.BodyHandlers.ofString());
            long answeredInMillis = (System.nanoTime() - start) / 1_000_000;

            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(answeredInMillis).as("answered in %d ms", answeredInMillis).isLessThan(1_000);
        } finally {
            for (Socket socket : trickling) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // Closing is all that is left to do.
                }
            }
        }
    }

    /** Sends a request as written, Host header and all, and returns the whole answer. */
    protected String raw(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** The server under test. */
    protected RunningServer server() {
        return server;
    }

    private String demoToken(String userId) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/demo/token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"" + userId + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("userId").asText()).isEqualTo(userId);
        return body.path("token").asText();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private static WebSocket.Listener collecting(List<String> frames) {
        return new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                frames.add(data.toString());
                webSocket.request(1);
                return null;
            }
        };
    }
}
