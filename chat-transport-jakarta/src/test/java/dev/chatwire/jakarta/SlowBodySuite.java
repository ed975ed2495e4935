package dev.chatwire.jakarta;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chatwire.core.ChatEngine;
import dev.chatwire.core.ChatLimits;
import dev.chatwire.core.RateLimit;
import dev.chatwire.core.jwt.JwtTokenVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients that send request bodies slowly, on a container with few request threads: more clients trickling a body a
 * byte at a time than there are threads must not keep the API from answering others, and a body that does not arrive
 * within {@link ChatServlet}'s deadline is answered 408. Each container extends this suite once.
 */
public abstract class SlowBodySuite {

    /** The container's request threads: fewer than the trickling clients. */
    static final int REQUEST_THREADS = 24;
    /** More clients than request threads, each holding a request open. */
    static final int TRICKLING_CLIENTS = 60;
    /** How often each trickling client sends one more byte: within any read timeout, far below any useful rate. */
    private static final Duration TRICKLE_INTERVAL = Duration.ofMillis(250);
    /** A body deadline longer than any test, for the tests about threads. */
    private static final Duration LONG_BODY_TIMEOUT = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<RawHttp> tricklers = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();
    private ChatEngine engine;
    private TestServer server;

    /** Starts the container under test with this servlet at {@code /api/*} and at most this many request threads. */
    protected abstract TestServer startServer(ChatEngine engine, ChatServlet servlet, int maxThreads)
            throws Exception;

    @BeforeEach
    void createEngine() {
        engine = ChatEngine.builder()
                .tokenVerifier(JwtTokenVerifier.hs256(Tokens.SECRET).leeway(Duration.ZERO).build())
                .inMemory()
                .limits(ChatLimits.defaults().toBuilder().chatCreationRate(RateLimit.unlimited()).build())
                .build();
    }

    @AfterEach
    void stopEverything() throws Exception {
        trickler.shutdownNow();
        trickler.awaitTermination(5, TimeUnit.SECONDS);
        for (RawHttp client : tricklers) {
            client.close();
        }
        engine.close();
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void moreClientsTricklingChatBodiesThanThreadsLeaveTheChatListAnsweringWithinASecond() throws Exception {
        server = startServer(engine, new ChatServlet(engine, LONG_BODY_TIMEOUT), REQUEST_THREADS);
        String token = Tokens.valid("alice");

        trickleBodies("Authorization: Bearer " + Tokens.valid("mallory") + "\r\n");

        assertChatListAnswersWithinASecond(token);
    }

    @Test
    void moreClientsTricklingBodiesWithoutATokenThanThreadsLeaveTheChatListAnsweringWithinASecond() throws Exception {
        server = startServer(engine, new ChatServlet(engine, LONG_BODY_TIMEOUT), REQUEST_THREADS);
        String token = Tokens.valid("alice");

        trickleBodies("");

        assertChatListAnswersWithinASecond(token);
    }

    @Test
    void aBodyNotCompleteWithinTheDeadlineIs408AndTheConnectionCloses() throws Exception {
        server = startServer(engine, new ChatServlet(engine, Duration.ofMillis(300)), REQUEST_THREADS);

        try (RawHttp client = RawHttp.open(server.port())) {
            client.send(chatCreationHead("Authorization: Bearer " + Tokens.valid("alice") + "\r\n", 100),
                    "{\"name\":".getBytes(StandardCharsets.UTF_8));
            RawHttp.Response response = client.readResponse();

            assertThat(response.status()).isEqualTo(408);
            assertThat(JSON.readTree(response.body()).path("error").path("code").asText()).isEqualTo("invalid");
            assertThat(response.header("Connection")).hasValue("close");
            assertThat(client.closedByServer()).isTrue();
        }
        assertThat(engine.chats(engine.authenticate(Tokens.valid("alice")))).isEmpty();
    }

    @Test
    void aBodyArrivingInPiecesWithinTheDeadlineIsServed() throws Exception {
        server = startServer(engine, new ChatServlet(engine, Duration.ofSeconds(30)), REQUEST_THREADS);
        byte[] body = "{\"participants\":[\"bob\"],\"name\":\"slow but in time\"}".getBytes(StandardCharsets.UTF_8);

        int half = body.length / 2;

        try (RawHttp client = RawHttp.open(server.port())) {
            client.send(chatCreationHead("Authorization: Bearer " + Tokens.valid("alice") + "\r\n", body.length),
                    Arrays.copyOfRange(body, 0, half));
            trickler.schedule(() -> {
                client.send("", Arrays.copyOfRange(body, half, body.length));
                return null;
            }, 200, TimeUnit.MILLISECONDS);
            RawHttp.Response response = client.readResponse();

            assertThat(response.status()).isEqualTo(201);
            assertThat(JSON.readTree(response.body()).path("chat").path("name").asText()).isEqualTo("slow but in time");
        }
    }

    /**
     * Opens {@link #TRICKLING_CLIENTS} chat creations declaring a 1 kB body and sends it a byte every
     * {@link #TRICKLE_INTERVAL}, never the whole of it; returns once every client has sent a few bytes.
     */
    private void trickleBodies(String authorization) throws IOException {
        for (int i = 0; i < TRICKLING_CLIENTS; i++) {
            RawHttp client = RawHttp.open(server.port());
            tricklers.add(client);
            client.send(chatCreationHead(authorization, 1000), "{".getBytes(StandardCharsets.UTF_8));
        }
        AtomicInteger rounds = new AtomicInteger();
        trickler.scheduleAtFixedRate(() -> {
            for (RawHttp client : tricklers) {
                try {
                    client.send("", new byte[] {' '});
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            rounds.incrementAndGet();
        }, 0, TRICKLE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> rounds.get() >= 3);
    }

    private void assertChatListAnswersWithinASecond(String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/chats"))
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(5))
                .GET().build();
        long sent = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        long answeredInMillis = (System.nanoTime() - sent) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(answeredInMillis).as("answered in %d ms", answeredInMillis).isLessThan(1_000);
    }

    private static String chatCreationHead(String authorization, int contentLength) {
        return "POST /api/chats HTTP/1.1\r\nHost: 127.0.0.1\r\n" + authorization
                + "Content-Type: application/json\r\nContent-Length: " + contentLength + "\r\n\r\n";
    }
}
