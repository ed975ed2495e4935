package dev.chatwire.jetty;

import dev.chatwire.core.ChatEngine;
import dev.chatwire.core.ChatLimits;
import dev.chatwire.core.SocketSettings;
import dev.chatwire.core.jwt.JwtTokenVerifier;
import dev.chatwire.jakarta.RawWebSocket;
import dev.chatwire.jakarta.Rest;
import dev.chatwire.jakarta.Tokens;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the shared transport suite ({@link JettyCoreTransportTest}) does not reach: liveness under one-way traffic, a
 * send timeout that the engine's queue does not pre-empt, the handler's place in front of the host's own handlers,
 * and how it applies its settings. Real server on a free port, raw clients that do exactly what each test says.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatWebSocketHandlerTest {

    private static final String ORIGIN = "http://app.chatwire.test";
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration PING_INTERVAL = Duration.ofMillis(500);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final AtomicInteger USERS = new AtomicInteger();

    private ChatEngine engine;
    private CoreHost host;
    private Rest rest;
    private final List<RawWebSocket> sockets = new CopyOnWriteArrayList<>();

    @BeforeAll
    void startServer() throws Exception {
        engine = ChatEngine.builder()
                .tokenVerifier(JwtTokenVerifier.hs256(Tokens.SECRET).build())
                .inMemory()
                // A queue the tests never fill: only the transport's send timeout can end a slow reader here. The
                // slow-reader test posts thousands of messages as one user, past the REST send rate.
                .limits(ChatLimits.defaults().toBuilder().maxQueueBytes(256L * 1024 * 1024).maxQueueFrames(100_000)
                        .unlimitedRestRates().build())
                .build();
        host = CoreHost.start(engine, SocketSettings.builder()
                .allowedOrigins(ORIGIN)
                .idleTimeout(IDLE_TIMEOUT)
                .pingInterval(PING_INTERVAL)
                .sendTimeout(SEND_TIMEOUT)
                .build());
        rest = new Rest(host.port());
    }

    @AfterEach
    void closeSockets() throws IOException {
        for (RawWebSocket socket : sockets) {
            socket.close();
        }
        sockets.clear();
    }

    @AfterAll
    void stopServer() throws Exception {
        engine.close();
        host.stop();
    }

    @Test
    void aSocketThatOnlyReceivesStaysOpenUnderSteadyTrafficAndIsClosedWith1001OnceItStops() throws Exception {
        String alice = user("alice");
        String bob = user("bob");
        String chatId = rest.createChat(alice, bob);
        // Sends nothing after the handshake, not even a pong: the messages it takes are its only signs of life.
        ReceivedFrames bobPhone = ReceivedFrames.readAll(openAs(bob));
        await().atMost(PATIENCE).until(() -> !bobPhone.events().isEmpty());

        AtomicInteger posted = new AtomicInteger();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        ScheduledExecutorService traffic = every(IDLE_TIMEOUT.dividedBy(8), () -> {
            rest.sendText(alice, chatId, "tick " + posted.get());
            posted.incrementAndGet();
        }, failures::add);
        try {
            await().during(IDLE_TIMEOUT.multipliedBy(3)).atMost(IDLE_TIMEOUT.multipliedBy(5))
                    .until(() -> bobPhone.closeFrame().isEmpty());
        } finally {
            // Not shutdownNow: an interrupted REST call in flight would count as a failure or a lost message.
            traffic.shutdown();
            assertThat(traffic.awaitTermination(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }

        assertThat(failures).isEmpty();
        await().atMost(PATIENCE).until(() -> bobPhone.messageSeqs().size() == posted.get());
        assertThat(bobPhone.count(RawWebSocket.PING)).as("pings it never answered").isPositive();
        await().atMost(PATIENCE).until(() -> bobPhone.closeFrame().isPresent());
        assertThat(bobPhone.closeFrame().orElseThrow().closeCode()).isEqualTo(1001);
        assertThat(bobPhone.messageSeqs()).containsExactlyElementsOf(
                LongStream.rangeClosed(1, posted.get()).boxed().toList());
    }

    @Test
    void aClientThatStopsReadingIsClosedWith4408WhileAnotherSocketKeepsReceiving() throws Exception {
        String alice = user("alice");
        String bob = user("bob");
        // Bob creates the chat: only then may alice see him go offline.
        String chatId = rest.createChat(bob, alice);
        ReceivedFrames alicePhone = ReceivedFrames.readAll(openAs(alice));
        RawWebSocket stalled = RawWebSocket.handshake(host.port(), "/ws",
                Map.of("Authorization", "Bearer " + Tokens.valid(bob)), 4096);
        sockets.add(stalled);
        assertThat(stalled.status()).isEqualTo(101);
        assertThat(stalled.readUntil(RawWebSocket.TEXT).text()).contains("\"connected\"");

        // Pongs keep the idle timeout away: only the backlog it does not read may end this socket.
        ScheduledExecutorService heartbeat = every(Duration.ofMillis(200), stalled::sendPong, droppedByServer -> { });
        int sent = 0;
        try {
            String text = "s".repeat(15_000);
            while (sent < 2_000 && !alicePhone.sawOffline(bob)) {
                rest.sendText(alice, chatId, text);
                sent++;
            }
            await().atMost(PATIENCE).until(() -> alicePhone.sawOffline(bob));
        } finally {
            heartbeat.shutdownNow();
        }

        // Reading again, the client gets what was on its way and then the close frame.
        assertThat(stalled.readUntil(RawWebSocket.CLOSE).closeCode()).isEqualTo(4408);
        int total = sent;
        await().atMost(PATIENCE).until(() -> alicePhone.messageSeqs().size() == total);
        assertThat(alicePhone.messageSeqs()).containsExactlyElementsOf(
                LongStream.rangeClosed(1, total).boxed().toList());
        assertThat(alicePhone.closeFrame()).isEmpty();
    }

    @Test
    void requestsThatAreNotUpgradesReachTheWrappedHandler() {
        HttpResponse<String> api = rest.get("/api/chats", null);
        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(Rest.json(api).path("error").path("code").asText()).isEqualTo("unauthorized");
        assertThat(rest.get("/ws", null).statusCode()).isEqualTo(404);
    }

    @Test
    void theOpenSocketCountFollowsSocketsThatOpenAndClose() throws Exception {
        ChatWebSocketHandler handler = host.sockets();
        await().atMost(PATIENCE).until(() -> handler.openSockets() == 0);
        String carol = user("carol");
        for (int i = 0; i < 3; i++) {
            assertThat(openAs(carol).readUntil(RawWebSocket.TEXT).text()).contains("\"connected\"");
        }
        assertThat(handler.openSockets()).isEqualTo(3);

        closeSockets();
        await().atMost(PATIENCE).until(() -> handler.openSockets() == 0);
    }

    @Test
    void aTokenInTheQueryAuthenticatesOnlyWhereTheHostTurnedItOn() throws Exception {
        CoreHost queryTokens = CoreHost.start(engine, SocketSettings.builder().tokenInQuery(true).build());
        try (RawWebSocket socket = RawWebSocket.handshake(queryTokens.port(),
                "/ws?" + SocketSettings.TOKEN_QUERY_PARAMETER + "=" + Tokens.valid(user("dave")), Map.of())) {
            assertThat(socket.status()).isEqualTo(101);
            assertThat(socket.readUntil(RawWebSocket.TEXT).text()).contains("\"connected\"");
        } finally {
            queryTokens.stop();
        }
    }

    @Test
    void deflateIsNegotiatedWhenTheHostTurnsItOnAndTheSocketIsServedAtTheSettingsPath() throws Exception {
        CoreHost deflating = CoreHost.start(engine, SocketSettings.builder().path("/chat/socket")
                .permessageDeflate(true).build());
        Map<String, String> offer = Map.of("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits");
        try (RawWebSocket socket = RawWebSocket.handshake(deflating.port(), "/chat/socket", offer);
             RawWebSocket elsewhere = RawWebSocket.handshake(deflating.port(), "/ws", offer)) {
            assertThat(socket.status()).isEqualTo(101);
            assertThat(socket.header("Sec-WebSocket-Extensions")).startsWith("permessage-deflate");
            assertThat(elsewhere.status()).isNotEqualTo(101);
        } finally {
            deflating.stop();
        }
    }

    @Test
    void theHandlerServesTheSettingsAndBoundsMessagesByTheEnginesFrameLimit() {
        SocketSettings settings = SocketSettings.builder().path("/chat/socket")
                .allowedOrigins("https://chat.example.com").build();
        ChatWebSocketHandler handler = ChatWebSocketHandler.create(engine, settings, new Server());
        assertThat(handler.settings()).isSameAs(settings);
        assertThat(handler.getConfiguration().getMaxTextMessageSize()).isEqualTo(engine.limits().maxFrameChars());
        assertThat(handler.getConfiguration().getIdleTimeout()).isEqualTo(settings.idleTimeout());
    }

    // ---- Helpers ---------------------------------------------------------------------------------------------------

    /** A task that may throw anything. */
    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    /** Runs {@code step} now and then every {@code period} on a thread of its own, until that thread is shut down. */
    private static ScheduledExecutorService every(Duration period, Step step, Consumer<Throwable> onFailure) {
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor();
        thread.scheduleAtFixedRate(() -> {
            try {
                step.run();
            } catch (Throwable t) {
                onFailure.accept(t);
            }
        }, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        return thread;
    }

    private static String user(String name) {
        return name + "-" + USERS.incrementAndGet();
    }

    /** Opens a socket authenticated by its handshake's bearer token, as a non-browser client does. */
    private RawWebSocket openAs(String userId) throws IOException {
        RawWebSocket socket = RawWebSocket.handshake(host.port(), "/ws",
                Map.of("Authorization", "Bearer " + Tokens.valid(userId)));
        sockets.add(socket);
        assertThat(socket.status()).isEqualTo(101);
        return socket;
    }
}
