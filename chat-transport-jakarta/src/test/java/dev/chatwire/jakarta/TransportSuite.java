package dev.chatwire.jakarta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chatwire.core.Chat;
import dev.chatwire.core.ChatEngine;
import dev.chatwire.core.ChatLimits;
import dev.chatwire.core.RateLimit;
import dev.chatwire.core.SocketSettings;
import dev.chatwire.core.jwt.JwtTokenVerifier;
import dev.chatwire.core.spi.ChatPolicy;
import jakarta.websocket.DeploymentException;
import org.eclipse.jetty.ee10.websocket.jakarta.client.JakartaWebSocketClientContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The transport end to end: a real container serving {@link ChatServlet} and {@link ChatEndpoint} on a free port, a
 * real Jakarta WebSocket client (Jetty's) and a real HTTP client. Each container extends this suite once; every test
 * uses users of its own, so tests share the server but not their chats. Shipped in this module's test jar, so that
 * another socket transport can pass it too: it serves its own endpoint with the {@link SocketSettings} it is handed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class TransportSuite {

    /** The one browser origin the endpoint allows. */
    public static final String ORIGIN = "http://app.chatwire.test";
    /** The endpoint's idle timeout: short, so that the idle tests are quick. */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(2);
    /** The endpoint's ping interval. */
    public static final Duration PING_INTERVAL = Duration.ofMillis(500);
    /** The endpoint's send timeout. */
    public static final Duration SEND_TIMEOUT = Duration.ofSeconds(5);
    static final long MAX_UPLOAD_BYTES = 64 * 1024;
    private static final AtomicInteger USERS = new AtomicInteger();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The name of the chats whose late joiners see history only from their joining. */
    private static final String FROM_JOIN = "from join";
    private static final ChatPolicy HISTORY_FROM_JOIN_IN_CHATS_SO_NAMED = new ChatPolicy() {
        @Override
        public boolean historyFromJoin(Chat chat) {
            return FROM_JOIN.equals(chat.name());
        }
    };

    private RecordingMediaStore media;
    private ChatEngine engine;
    private TestServer server;
    private JakartaWebSocketClientContainer client;
    private Rest rest;
    private final List<TestSocket> sockets = new CopyOnWriteArrayList<>();

    /**
     * Whether the container always writes the engine's close frame behind a write that is stuck, once the client reads
     * again. Tomcat does not: a close that comes while an asynchronous write is still stuck drops the connection, and
     * one that comes just after the write got through sends the frame, so either ending is right there.
     */
    protected boolean closesAStuckSocketWithACloseFrame() {
        return true;
    }

    /**
     * Whether the container always sends its close frame to a client that is still writing a frame over the limit.
     * Tomcat sometimes ends the connection without one (seen once in CI under load).
     */
    protected boolean closesWithAFrameWhileTheClientStillWrites() {
        return true;
    }

    /** Starts the container under test, serving this engine's sockets with these rules. */
    protected abstract TestServer startServer(ChatEngine engine, SocketSettings settings) throws Exception;

    @BeforeAll
    void startServerAndClients() throws Exception {
        ChatLimits limits = ChatLimits.defaults().toBuilder()
                .connectTimeout(Duration.ofSeconds(2))
                .maxUploadBytes(MAX_UPLOAD_BYTES)
                // The slow-consumer tests post thousands of messages as one user; RestRateLimitTest tests the rates.
                .restSendRate(RateLimit.unlimited())
                .build();
        media = new RecordingMediaStore();
        engine = ChatEngine.builder()
                .tokenVerifier(JwtTokenVerifier.hs256(Tokens.SECRET).leeway(Duration.ZERO).build())
                .mediaStore(media)
                .inMemory()
                .policy(HISTORY_FROM_JOIN_IN_CHATS_SO_NAMED)
                .limits(limits)
                .build();
        SocketSettings settings = SocketSettings.builder()
                .allowedOrigins(ORIGIN)
                .idleTimeout(IDLE_TIMEOUT)
                .pingInterval(PING_INTERVAL)
                .sendTimeout(SEND_TIMEOUT)
                .build();
        server = startServer(engine, settings);
        client = new JakartaWebSocketClientContainer();
        client.setDefaultMaxTextMessageBufferSize(1 << 20);
        client.start();
        rest = new Rest(server.port());
    }

    @AfterEach
    void closeSockets() {
        sockets.stream().filter(TestSocket::isOpen).forEach(TestSocket::close);
        sockets.clear();
    }

    @AfterAll
    void stopEverything() throws Exception {
        client.stop();
        engine.close();
        server.stop();
    }

    // ---- Delivery ------------------------------------------------------------------------------------------------

    @Test
    void restSendReachesEveryDeviceOfBothUsers() {
        String alice = user("alice");
        String bob = user("bob");
        TestSocket alicePhone = connectAs(alice);
        TestSocket aliceLaptop = connectAs(alice);
        TestSocket bobPhone = connectAs(bob);

        String chatId = createChat(alice, bob);
        for (TestSocket socket : List.of(alicePhone, aliceLaptop, bobPhone)) {
            socket.awaitEvent("chat_joined", e -> e.path("chatId").asText().equals(chatId));
        }
        HttpResponse<String> response = rest.postJson("/api/messages", Tokens.valid(alice),
                "{\"chatId\":\"" + chatId + "\",\"text\":\"hello everyone\",\"clientMessageId\":\"m-1\"}");

        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode sent = Rest.json(response).path("messages").get(0);
        assertThat(sent.path("text").asText()).isEqualTo("hello everyone");
        assertThat(sent.path("seq").asLong()).isEqualTo(1);
        for (TestSocket socket : List.of(alicePhone, aliceLaptop, bobPhone)) {
            JsonNode delivered = socket.awaitEvent("new_message",
                    e -> e.path("message").path("id").asText().equals(sent.path("id").asText()));
            assertThat(delivered.path("message").path("senderId").asText()).isEqualTo(alice);
        }
    }

    @Test
    void socketSendIsAckedThenDeliveredToEveryConnection() {
        String alice = user("alice");
        String bob = user("bob");
        String chatId = createChat(alice, bob);
        TestSocket alicePhone = connectAs(alice);
        TestSocket aliceLaptop = connectAs(alice);
        TestSocket bobPhone = connectAs(bob);

        alicePhone.send(Map.of("type", "send", "chatId", chatId, "text", "over the socket",
                "clientMessageId", "c-42"));

        JsonNode ack = alicePhone.awaitEvent("ack");
        assertThat(ack.path("clientMessageId").asText()).isEqualTo("c-42");
        String messageId = ack.path("message").path("id").asText();
        assertThat(ack.path("message").path("seq").asLong()).isEqualTo(1);
        for (TestSocket socket : List.of(alicePhone, aliceLaptop, bobPhone)) {
            socket.awaitEvent("new_message", e -> e.path("message").path("id").asText().equals(messageId));
        }
        assertThat(alicePhone.types()).containsSubsequence("ack", "new_message");
        JsonNode history = Rest.json(rest.get("/api/chats/" + chatId + "/messages", Tokens.valid(bob)));
        assertThat(history.path("messages")).hasSize(1);
    }

    @Test
    void typingReachesOthersButIsNotEchoedToTheTypingConnection() {
        String alice = user("alice");
        String bob = user("bob");
        String chatId = createChat(alice, bob);
        TestSocket alicePhone = connectAs(alice);
        TestSocket aliceLaptop = connectAs(alice);
        TestSocket bobPhone = connectAs(bob);

        alicePhone.send(Map.of("type", "typing", "chatId", chatId));

        for (TestSocket socket : List.of(aliceLaptop, bobPhone)) {
            JsonNode typing = socket.awaitEvent("typing");
            assertThat(typing.path("userId").asText()).isEqualTo(alice);
            assertThat(typing.path("chatId").asText()).isEqualTo(chatId);
            assertThat(typing.path("active").asBoolean()).isTrue();
        }
        alicePhone.assertNone("typing", e -> true);
    }

    @Test
    void readReceiptsReachTheOtherParticipants() {
        String alice = user("alice");
        String bob = user("bob");
        String chatId = createChat(alice, bob);
        TestSocket alicePhone = connectAs(alice);
        TestSocket bobPhone = connectAs(bob);
        sendText(alice, chatId, "read me");

        bobPhone.send(Map.of("type", "read", "chatId", chatId, "seq", 1));
        JsonNode overSocket = alicePhone.awaitEvent("read", e -> e.path("userId").asText().equals(bob));
        assertThat(overSocket.path("seq").asLong()).isEqualTo(1);

        HttpResponse<String> overRest = rest.postJson("/api/chats/" + chatId + "/read", Tokens.valid(alice),
                "{\"seq\":1}");
        assertThat(overRest.statusCode()).isEqualTo(200);
        assertThat(Rest.json(overRest).path("lastRead").asLong()).isEqualTo(1);
        bobPhone.awaitEvent("read", e -> e.path("userId").asText().equals(alice));
        bobPhone.assertNone("read", e -> e.path("userId").asText().equals(bob));
    }

    @Test
    void presenceGoesOnlineAndOfflineWithTheLastConnection() {
        String alice = user("alice");
        String bob = user("bob");
        createChat(bob, alice);
        TestSocket alicePhone = connectAs(alice);
        assertThat(presenceOf(alice, bob)).isFalse();

        TestSocket bobPhone = connectAs(bob);
        alicePhone.awaitEvent("presence", e -> e.path("userId").asText().equals(bob) && e.path("online").asBoolean());
        assertThat(presenceOf(alice, bob)).isTrue();

        bobPhone.close();
        alicePhone.awaitEvent("presence", e -> e.path("userId").asText().equals(bob) && !e.path("online").asBoolean());
        assertThat(presenceOf(alice, bob)).isFalse();
    }

    @Test
    void resumeAfterADroppedConnectionReplaysExactlyTheMissedMessages() {
        String alice = user("alice");
        String bob = user("bob");
        String chatId = createChat(alice, bob);
        TestSocket bobPhone = connectAs(bob);
        sendText(alice, chatId, "one");
        sendText(alice, chatId, "two");
        bobPhone.awaitEvent("new_message", e -> e.path("message").path("seq").asLong() == 2);
        bobPhone.close();

        sendText(alice, chatId, "three");
        sendText(alice, chatId, "four");
        sendText(alice, chatId, "five");
        TestSocket bobAgain = connectAs(bob, Map.of(chatId, 2L));
        bobAgain.awaitEvent("new_message", e -> e.path("message").path("seq").asLong() == 5);
        sendText(alice, chatId, "six");
        bobAgain.awaitEvent("new_message", e -> e.path("message").path("seq").asLong() == 6);

        bobAgain.assertNone("new_message", e -> e.path("message").path("seq").asLong() > 6);
        assertThat(bobAgain.all("new_message")).extracting(e -> e.path("message").path("text").asText())
                .containsExactly("three", "four", "five", "six");
    }

    @Test
    void aBurstOfLargeMessagesArrivesCompleteAndInOrderWhilePingsGoOut() throws Exception {
        String alice = user("alice");
        String bob = user("bob");
        String chatId = createChat(alice, bob);
        TestSocket bobPhone = connectAs(bob);
        int senders = 4;
        int perSender = 40;
        String padding = "p".repeat(8_000);
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        try {
            List<Future<?>> sends = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                int sender = s;
                sends.add(pool.submit(() -> {
                    for (int i = 0; i < perSender; i++) {
                        sendText(alice, chatId, sender + "-" + i + "-" + padding);
                    }
                }));
            }
            for (Future<?> send : sends) {
                send.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        int total = senders * perSender;
        bobPhone.awaitEvent("new_message", e -> e.path("message").path("seq").asLong() == total);
        assertThat(bobPhone.all("new_message")).extracting(e -> e.path("message").path("seq").asLong())
                .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
        assertThat(bobPhone.isOpen()).isTrue();
    }

    @Test
    void aClientThatStopsReadingIsDisconnectedAndGoesOffline() throws Exception {
        String alice = user("alice");
        String bob = user("bob");
        String chatId = createChat(bob, alice);
        TestSocket alicePhone = connectAs(alice);
        ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor();
        try (RawWebSocket stalled = RawWebSocket.handshake(server.port(), "/ws",
                Map.of("Authorization", "Bearer " + Tokens.valid(bob)), 4096)) {
            assertThat(stalled.status()).isEqualTo(101);
            alicePhone.awaitEvent("presence",
                    e -> e.path("userId").asText().equals(bob) && e.path("online").asBoolean());
            // Pongs keep the idle timeout away: only the unread backlog may end this socket.
            heartbeat.scheduleAtFixedRate(() -> {
                try {
                    stalled.sendPong();
                } catch (IOException e) {
                    // The server has closed it: what this test waits for.
                }
            }, 0, 200, TimeUnit.MILLISECONDS);
            String text = "s".repeat(15_000);
            for (int i = 0; i < 2_000 && alicePhone.all("presence").stream().noneMatch(e -> isOffline(e, bob)); i++) {
                sendText(alice, chatId, text);
            }
            // The engine gives up on the socket after its send timeout; a container may hold the stuck write until
            // its own backstop, twice that, before the connection ends.
            alicePhone.awaitEvent("presence", e -> isOffline(e, bob),
                    SEND_TIMEOUT.multipliedBy(2).plus(TestSocket.PATIENCE));
        } finally {
            heartbeat.shutdownNow();
        }
        assertThat(alicePhone.isOpen()).isTrue();
    }

    @Test
    void aSocketStuckPastTheSendTimeoutIsClosedAsASlowConsumerThoughItsQueueHasRoom() throws Exception {
        // A server of its own: an outbound queue far larger than the backlog and a 1 s send timeout, so that only the
        // send timeout can end the socket, and the container's own write timer must not beat the engine's to it.
        ChatEngine roomy = ChatEngine.builder()
                .tokenVerifier(JwtTokenVerifier.hs256(Tokens.SECRET).leeway(Duration.ZERO).build())
                .inMemory()
                .limits(ChatLimits.defaults().toBuilder().maxQueueBytes(1L << 30).maxQueueFrames(100_000)
                        .restSendRate(RateLimit.unlimited()).build())
                .build();
        TestServer roomyServer = startServer(roomy, SocketSettings.builder()
                .allowedOrigins(ORIGIN)
                .sendTimeout(Duration.ofSeconds(1))
                .build());
        try {
            Rest roomyRest = new Rest(roomyServer.port());
            String alice = user("alice");
            String bob = user("bob");
            String chatId = roomyRest.createChat(bob, alice);
            try (RawWebSocket stalled = RawWebSocket.handshake(roomyServer.port(), "/ws",
                    Map.of("Authorization", "Bearer " + Tokens.valid(bob)), 4096)) {
                assertThat(stalled.status()).isEqualTo(101);
                assertThat(stalled.readUntil(RawWebSocket.TEXT).text()).contains("\"connected\"");
                // The engine registers presence just after it sends connected.
                await().atMost(TestSocket.PATIENCE).until(() -> isOnline(roomyRest, alice, bob));
                // 12 MB: more than the kernel buffers of a loopback socket hold, far less than the queue.
                String text = "s".repeat(15_000);
                int sent = 0;
                while (sent < 800 && isOnline(roomyRest, alice, bob)) {
                    roomyRest.sendText(alice, chatId, text);
                    sent++;
                }
                await().atMost(TestSocket.PATIENCE).until(() -> !isOnline(roomyRest, alice, bob));

                // Reading again, the client gets what was on its way, in order, and then the engine's close frame.
                long seq = 0;
                Integer closeCode = null;
                try {
                    while (closeCode == null) {
                        RawWebSocket.Frame frame = stalled.readMessage();
                        if (frame.opcode() == RawWebSocket.CLOSE) {
                            closeCode = frame.closeCode();
                        } else if (frame.opcode() == RawWebSocket.TEXT && frame.text().contains("\"new_message\"")) {
                            assertThat(JSON.readTree(frame.text()).path("message").path("seq").asLong())
                                    .isEqualTo(++seq);
                        }
                    }
                } catch (EOFException | SocketException dropped) {
                    assertThat(closesAStuckSocketWithACloseFrame()).as("dropped without a close frame").isFalse();
                }
                // A container that may drop the connection instead must still never send another code.
                if (closeCode != null || closesAStuckSocketWithACloseFrame()) {
                    assertThat(closeCode).isEqualTo(4408);
                }
                assertThat(seq).isLessThan(sent);
            }
        } finally {
            roomyServer.stop();
            roomy.close();
        }
    }

    private static boolean isOffline(JsonNode presence, String userId) {
        return presence.path("userId").asText().equals(userId) && !presence.path("online").asBoolean();
    }

    @Test
    void participantsAddedAndRemovedOverRestJoinAndLeaveLive() {
        String alice = user("alice");
        String bob = user("bob");
        String carol = user("carol");
        String chatId = createChat(alice, bob);
        TestSocket carolPhone = connectAs(carol);

        HttpResponse<String> added = rest.postJson("/api/chats/" + chatId + "/participants", Tokens.valid(alice),
                "{\"userId\":\"" + carol + "\"}");
        assertThat(added.statusCode()).isEqualTo(200);
        assertThat(Rest.json(added).path("chat").path("participants").toString()).contains(carol);
        carolPhone.awaitEvent("chat_joined", e -> e.path("chatId").asText().equals(chatId));
        sendText(alice, chatId, "welcome carol");
        carolPhone.awaitEvent("new_message", e -> e.path("message").path("text").asText().equals("welcome carol"));

        HttpResponse<String> removed = rest.delete("/api/chats/" + chatId + "/participants/" + carol,
                Tokens.valid(alice));
        assertThat(removed.statusCode()).isEqualTo(200);
        carolPhone.awaitEvent("chat_left", e -> e.path("chatId").asText().equals(chatId));
        assertThat(rest.postJson("/api/messages", Tokens.valid(carol),
                "{\"chatId\":\"" + chatId + "\",\"text\":\"still here?\"}").statusCode()).isEqualTo(403);
    }

    @Test
    void onlyTheOwnerOrAnAdminManagesParticipantsAndOnlyTheOwnerNamesAdmins() {
        String alice = user("alice");
        String bob = user("bob");
        String carol = user("carol");
        String chatId = createChat(alice, bob, carol);

        HttpResponse<String> refused = rest.postJson("/api/chats/" + chatId + "/participants", Tokens.valid(bob),
                "{\"userId\":\"" + user("mallory") + "\"}");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(Rest.json(refused).path("error").path("code").asText()).isEqualTo("forbidden");
        assertThat(rest.delete("/api/chats/" + chatId + "/participants/" + alice, Tokens.valid(bob)).statusCode())
                .isEqualTo(403);
        assertThat(rest.put("/api/chats/" + chatId + "/admins/" + bob, Tokens.valid(bob)).statusCode())
                .isEqualTo(403);

        HttpResponse<String> named = rest.put("/api/chats/" + chatId + "/admins/" + bob, Tokens.valid(alice));
        assertThat(named.statusCode()).isEqualTo(200);
        assertThat(Rest.json(named).path("chat").path("owner").asText()).isEqualTo(alice);
        assertThat(Rest.json(named).path("chat").path("admins").toString()).contains(bob);
        assertThat(Rest.json(named).path("chat").has("accepted")).isFalse();
        assertThat(rest.delete("/api/chats/" + chatId + "/participants/" + carol, Tokens.valid(bob)).statusCode())
                .isEqualTo(200);
        assertThat(rest.delete("/api/chats/" + chatId + "/admins/" + bob, Tokens.valid(bob)).statusCode())
                .isEqualTo(403);
        assertThat(rest.delete("/api/chats/" + chatId + "/admins/" + bob, Tokens.valid(alice)).statusCode())
                .isEqualTo(200);
        assertThat(rest.delete("/api/chats/" + chatId + "/participants/" + bob, Tokens.valid(bob)).statusCode())
                .isEqualTo(200);
    }

    @Test
    void aChatSomeoneCreatedWithTheVictimShowsNoPresenceUntilTheVictimSendsThere() {
        String attacker = user("attacker");
        String victim = user("victim");
        TestSocket victimPhone = connectAs(victim);
        String chatId = createChat(attacker, victim);
        TestSocket attackerPhone = connectAs(attacker);
        victimPhone.awaitEvent("chat_joined", e -> e.path("chatId").asText().equals(chatId));

        assertThat(presenceOf(attacker, victim)).isFalse();

        sendText(victim, chatId, "who are you?");
        assertThat(presenceOf(attacker, victim)).isTrue();
        attackerPhone.awaitEvent("presence", e -> e.path("userId").asText().equals(victim)
                && e.path("online").asBoolean());
    }

    @Test
    void historyPagesAfterAndBeforeASeqAndListsTheUsersChats() {
        String alice = user("alice");
        String bob = user("bob");
        String chatId = createChat(alice, bob);
        for (int i = 1; i <= 5; i++) {
            sendText(alice, chatId, "m" + i);
        }
        String token = Tokens.valid(bob);

        assertThat(texts(rest.get("/api/chats/" + chatId + "/messages?after=2&limit=2", token)))
                .containsExactly("m3", "m4");
        assertThat(texts(rest.get("/api/chats/" + chatId + "/messages?before=3", token)))
                .containsExactly("m1", "m2");
        assertThat(texts(rest.get("/api/chats/" + chatId + "/messages", token)))
                .containsExactly("m1", "m2", "m3", "m4", "m5");
        assertThat(rest.get("/api/chats/" + chatId + "/messages?limit=abc", token).statusCode()).isEqualTo(400);
        JsonNode chats = Rest.json(rest.get("/api/chats", token)).path("chats");
        assertThat(chats).hasSize(1);
        assertThat(chats.get(0).path("id").asText()).isEqualTo(chatId);
    }

    // ---- Authentication ------------------------------------------------------------------------------------------

    @Test
    void headerTokenAuthenticatesWithoutAConnectFrame() throws Exception {
        String alice = user("alice");
        TestSocket socket = open(null, Tokens.valid(alice));
        JsonNode connected = socket.awaitEvent("connected");
        assertThat(connected.path("userId").asText()).isEqualTo(alice);
    }

    @Test
    void forgedTokensAreClosedWith4401() throws Exception {
        String mallory = user("mallory");
        TestSocket inFrame = open(ORIGIN, null);
        inFrame.send(Map.of("type", "connect", "token", Tokens.forged(mallory)));
        assertThat(inFrame.awaitCloseCode()).isEqualTo(4401);

        TestSocket inHeader = open(null, Tokens.forged(mallory));
        assertThat(inHeader.awaitCloseCode()).isEqualTo(4401);
        assertThat(inHeader.all("connected")).isEmpty();
    }

    @Test
    void expiredTokensAreClosedWith4401() throws Exception {
        String alice = user("alice");
        TestSocket inFrame = open(ORIGIN, null);
        inFrame.send(Map.of("type", "connect", "token", Tokens.expired(alice)));
        assertThat(inFrame.awaitCloseCode()).isEqualTo(4401);

        TestSocket inHeader = open(null, Tokens.expired(alice));
        assertThat(inHeader.awaitCloseCode()).isEqualTo(4401);
    }

    @Test
    void aSocketThatNeverAuthenticatesIsClosedWith4401() throws Exception {
        TestSocket silent = open(ORIGIN, null);
        assertThat(silent.awaitCloseCode()).isEqualTo(4401);

        TestSocket impatient = open(ORIGIN, null);
        impatient.send(Map.of("type", "typing", "chatId", "anything"));
        assertThat(impatient.awaitCloseCode()).isEqualTo(4401);
    }

    @Test
    void aTokenThatExpiresOnAnOpenSocketClosesItWith4402UnlessRefreshed() throws Exception {
        String alice = user("alice");
        TestSocket stale = open(null, Tokens.expiringIn(alice, Duration.ofSeconds(2)));
        TestSocket refreshed = open(null, Tokens.expiringIn(alice, Duration.ofSeconds(2)));
        stale.awaitEvent("connected");
        refreshed.awaitEvent("connected");

        refreshed.send(Map.of("type", "auth", "token", Tokens.valid(alice)));

        assertThat(stale.awaitCloseCode()).isEqualTo(4402);
        refreshed.assertNone("error", e -> true);
        assertThat(refreshed.isOpen()).isTrue();
    }

    @Test
    void aUserCannotHoldMoreSocketsThanTheCap() throws Exception {
        String alice = user("alice");
        int cap = engine.limits().maxConnectionsPerUser();
        for (int i = 0; i < cap; i++) {
            open(null, Tokens.valid(alice)).awaitEvent("connected");
        }
        TestSocket oneTooMany = open(null, Tokens.valid(alice));
        assertThat(oneTooMany.awaitCloseCode()).isEqualTo(4429);
    }

    @Test
    void unauthenticatedSocketsAreCountedByTheClientsAddressAndOneOverTheCapIsClosedWith1013() throws Exception {
        // Its own engine and server: the per-address cap is the engine's, and the suite's server must stay usable.
        ChatEngine capped = ChatEngine.builder()
                .tokenVerifier(JwtTokenVerifier.hs256(Tokens.SECRET).build())
                .inMemory()
                .limits(ChatLimits.defaults().toBuilder().maxUnauthenticatedPerAddress(2).build())
                .build();
        TestServer cappedServer = startServer(capped, SocketSettings.builder().allowedOrigins(ORIGIN).build());
        try {
            URI uri = URI.create("ws://127.0.0.1:" + cappedServer.port() + "/ws");
            List<TestSocket> three = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                TestSocket socket = TestSocket.open(client, uri, ORIGIN, null);
                sockets.add(socket);
                three.add(socket);
            }
            // The server may open them in another order than the client did: whichever came third is refused.
            await().atMost(TestSocket.PATIENCE).until(() -> three.stream().filter(s -> !s.isOpen()).count() == 1);
            TestSocket refused = three.stream().filter(s -> !s.isOpen()).findFirst().orElseThrow();

            assertThat(refused.awaitCloseCode()).isEqualTo(1013);
            // "from this address": had the address not reached the engine, only the node-wide cap would count.
            assertThat(refused.awaitCloseReason()).isEqualTo("too many unauthenticated sockets from this address");
            three.remove(refused);
            three.get(0).send(Map.of("type", "connect", "token", Tokens.valid(user("alice"))));
            three.get(0).awaitEvent("connected");
            TestSocket afterAuthentication = TestSocket.open(client, uri, ORIGIN, null);
            sockets.add(afterAuthentication);
            afterAuthentication.assertNone("error", e -> true);
            assertThat(afterAuthentication.isOpen()).isTrue();
            assertThat(three.get(1).isOpen()).isTrue();
        } finally {
            sockets.stream().filter(TestSocket::isOpen).forEach(TestSocket::close);
            cappedServer.stop();
            capped.close();
        }
    }

    @Test
    void aSocketSendingFasterThanItsRateIsToldToSlowDownAndKeptOpen() {
        String alice = user("alice");
        String chatId = createChat(alice, user("bob"));
        TestSocket socket = connectAs(alice);
        int burst = engine.limits().commandBurst();
        for (int i = 0; i < burst * 2; i++) {
            socket.send(Map.of("type", "typing", "chatId", chatId));
        }
        JsonNode limited = socket.awaitEvent("error");
        assertThat(limited.path("code").asText()).isEqualTo("rate_limited");
        assertThat(socket.isOpen()).isTrue();
    }

    @Test
    void tokensInTheQueryAreIgnoredByDefault() throws Exception {
        String alice = user("alice");
        TestSocket socket = TestSocket.open(client, URI.create("ws://127.0.0.1:" + server.port() + "/ws?"
                + SocketSettings.TOKEN_QUERY_PARAMETER + "=" + Tokens.valid(alice)), null, null);
        sockets.add(socket);
        assertThat(socket.awaitCloseCode()).isEqualTo(4401);
        assertThat(socket.all("connected")).isEmpty();
    }

    @Test
    void restRequestsWithoutAValidTokenAre401() {
        String alice = user("alice");
        HttpResponse<String> missing = rest.get("/api/chats", null);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(Rest.json(missing).path("error").path("code").asText()).isEqualTo("unauthorized");

        assertThat(rest.get("/api/chats", Tokens.forged(alice)).statusCode()).isEqualTo(401);
        HttpResponse<String> expired = rest.get("/api/chats", Tokens.expired(alice));
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(expired.body()).doesNotContain(Tokens.expired(alice).substring(0, 20));
    }

    // ---- Handshake -----------------------------------------------------------------------------------------------

    @Test
    void aWrongOriginIsRefusedAtTheHandshake() throws Exception {
        String alice = user("alice");
        try (RawWebSocket evil = RawWebSocket.handshake(server.port(), "/ws",
                Map.of("Origin", "http://evil.example", "Authorization", "Bearer " + Tokens.valid(alice)))) {
            assertThat(evil.status()).isEqualTo(403);
        }
        try (RawWebSocket lookalike = RawWebSocket.handshake(server.port(), "/ws",
                Map.of("Origin", ORIGIN + ".evil.example"))) {
            assertThat(lookalike.status()).isEqualTo(403);
        }
        assertThatThrownBy(() -> open("http://evil.example", Tokens.valid(alice))).isInstanceOf(Exception.class);

        try (RawWebSocket allowed = RawWebSocket.handshake(server.port(), "/ws", Map.of("Origin", ORIGIN))) {
            assertThat(allowed.status()).isEqualTo(101);
        }
        try (RawWebSocket noOrigin = RawWebSocket.handshake(server.port(), "/ws", Map.of())) {
            assertThat(noOrigin.status()).isEqualTo(101);
        }
    }

    @Test
    void permessageDeflateIsNotNegotiatedUnlessTheHostTurnsItOn() throws Exception {
        try (RawWebSocket socket = RawWebSocket.handshake(server.port(), "/ws",
                Map.of("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"))) {
            assertThat(socket.status()).isEqualTo(101);
            assertThat(socket.header("Sec-WebSocket-Extensions")).isNull();
        }
    }

    @Test
    void theServerPingsAndClosesASocketThatNeverAnswersWith1001() throws Exception {
        String alice = user("alice");
        try (RawWebSocket mute = RawWebSocket.handshake(server.port(), "/ws",
                Map.of("Authorization", "Bearer " + Tokens.valid(alice)))) {
            assertThat(mute.status()).isEqualTo(101);
            assertThat(mute.readUntil(RawWebSocket.TEXT).text()).contains("\"connected\"");
            assertThat(mute.readUntil(RawWebSocket.PING).payload()).isEmpty();
            assertThat(mute.readUntil(RawWebSocket.CLOSE).closeCode()).isEqualTo(1001);
        }
    }

    // ---- Malformed and oversized input ---------------------------------------------------------------------------

    @Test
    void malformedFramesAreAnsweredWithErrorsAndTheSocketStaysUsable() {
        String alice = user("alice");
        String bob = user("bob");
        String chatId = createChat(alice, bob);
        TestSocket socket = connectAs(alice);

        socket.send("this is not json");
        socket.send("{\"type\":\"shout\",\"chatId\":\"" + chatId + "\"}");
        socket.send("{\"type\":\"send\",\"text\":\"no chat\"}");
        socket.send("{\"type\":\"read\",\"chatId\":\"" + chatId + "\",\"seq\":\"latest\"}");
        socket.send("[1,2,3]");

        await().atMost(TestSocket.PATIENCE).until(() -> socket.all("error").size() == 5);
        assertThat(socket.all("error")).allSatisfy(e -> assertThat(e.path("code").asText()).isEqualTo("invalid"));
        assertThat(socket.all("error")).extracting(e -> e.path("message").asText())
                .anySatisfy(m -> assertThat(m).contains("malformed JSON"))
                .anySatisfy(m -> assertThat(m).contains("shout"))
                .anySatisfy(m -> assertThat(m).contains("chatId"))
                .anySatisfy(m -> assertThat(m).contains("seq"));
        socket.send(Map.of("type", "send", "chatId", chatId, "text", "still fine", "clientMessageId", "ok-1"));
        assertThat(socket.awaitEvent("ack").path("clientMessageId").asText()).isEqualTo("ok-1");
        assertThat(socket.isOpen()).isTrue();
    }

    @Test
    void anOversizedFrameIsClosedWith1009() throws Exception {
        String alice = user("alice");
        int limit = engine.limits().maxFrameChars();
        TestSocket justOver = connectAs(alice);
        justOver.sendWithoutWaiting("{\"type\":\"typing\",\"chatId\":\"" + "x".repeat(limit) + "\"}");
        assertThat(justOver.awaitCloseCode()).isEqualTo(1009);

        // A frame that declares four times the limit is refused once the limit is passed, without waiting for the rest.
        // The client sends only a little over the limit: a client still writing when the server closes may have the
        // connection reset under it and never read the close frame.
        try (RawWebSocket farOver = RawWebSocket.handshake(server.port(), "/ws",
                Map.of("Authorization", "Bearer " + Tokens.valid(alice)))) {
            assertThat(farOver.readUntil(RawWebSocket.TEXT).text()).contains("\"connected\"");
            try {
                farOver.sendTextStart(limit * 4L, limit + 1024);
            } catch (SocketException resetUnderTheWrite) {
                // The server closed before taking all of it; its close frame is already on the way.
            }
            try {
                assertThat(farOver.readUntil(RawWebSocket.CLOSE).closeCode()).isEqualTo(1009);
            } catch (EOFException | SocketException dropped) {
                // Ended without waiting for the rest (a read that waited would time out instead), but with no frame.
                assertThat(closesWithAFrameWhileTheClientStillWrites()).as("dropped without a close frame").isFalse();
            }
        }
    }

    @Test
    void aBinaryFrameIsClosedWith1003() {
        TestSocket socket = connectAs(user("alice"));
        socket.sendBinary(new byte[] {1, 2, 3});
        assertThat(socket.awaitCloseCode()).isEqualTo(1003);
    }

    @Test
    void malformedRestRequestsAre400AndWrongContentTypesAre415() {
        String alice = user("alice");
        String bob = user("bob");
        String chatId = createChat(alice, bob);
        String token = Tokens.valid(alice);

        HttpResponse<String> malformed = rest.postJson("/api/messages", token, "{\"chatId\":");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(Rest.json(malformed).path("error").path("code").asText()).isEqualTo("invalid");
        assertThat(Rest.json(malformed).path("error").path("message").asText()).isEqualTo("malformed JSON");
        assertThat(rest.postJson("/api/messages", token, "{\"chatId\":\"" + chatId + "\"}").statusCode())
                .isEqualTo(400);
        assertThat(rest.postJson("/api/messages", token, "{\"chatId\":\"" + chatId + "\",\"text\":7}")
                .statusCode()).isEqualTo(400);
        assertThat(rest.postJson("/api/chats", token, "{\"participants\":\"" + bob + "\"}").statusCode())
                .isEqualTo(400);
        assertThat(rest.post("/api/messages", token, "text/plain",
                "hello".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(415);
        assertThat(rest.get("/api/nowhere", token).statusCode()).isEqualTo(404);
        HttpResponse<String> wrongMethod = rest.get("/api/messages", token);
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("POST");
        assertThat(texts(rest.get("/api/chats/" + chatId + "/messages", token))).isEmpty();
    }

    @Test
    void anOversizedJsonBodyIs413() {
        String alice = user("alice");
        String chatId = createChat(alice, user("bob"));
        String text = "x".repeat(engine.limits().maxTextChars() * 7);
        HttpResponse<String> response = rest.postJson("/api/messages", Tokens.valid(alice),
                "{\"chatId\":\"" + chatId + "\",\"text\":\"" + text + "\"}");
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(texts(rest.get("/api/chats/" + chatId + "/messages", Tokens.valid(alice)))).isEmpty();
    }

    // ---- Membership ----------------------------------------------------------------------------------------------

    @Test
    void aNonMemberCannotSendAndNothingIsDelivered() {
        String alice = user("alice");
        String bob = user("bob");
        String mallory = user("mallory");
        String chatId = createChat(alice, bob);
        TestSocket alicePhone = connectAs(alice);
        TestSocket bobPhone = connectAs(bob);
        TestSocket malloryPhone = connectAs(mallory);

        HttpResponse<String> overRest = rest.postJson("/api/messages", Tokens.valid(mallory),
                "{\"chatId\":\"" + chatId + "\",\"text\":\"let me in\"}");
        assertThat(overRest.statusCode()).isEqualTo(403);
        assertThat(Rest.json(overRest).path("error").path("code").asText()).isEqualTo("forbidden");
        HttpResponse<String> noSuchChat = rest.postJson("/api/messages", Tokens.valid(mallory),
                "{\"chatId\":\"no-such-chat\",\"text\":\"let me in\"}");
        assertThat(noSuchChat.statusCode()).isEqualTo(403);
        assertThat(Rest.json(noSuchChat).path("error")).isEqualTo(Rest.json(overRest).path("error"));

        malloryPhone.send(Map.of("type", "send", "chatId", chatId, "text", "let me in", "clientMessageId", "x-1"));
        JsonNode refused = malloryPhone.awaitEvent("error");
        assertThat(refused.path("code").asText()).isEqualTo("forbidden");
        assertThat(refused.path("clientMessageId").asText()).isEqualTo("x-1");

        alicePhone.assertNone("new_message", e -> true);
        bobPhone.assertNone("new_message", e -> true);
        assertThat(texts(rest.get("/api/chats/" + chatId + "/messages", Tokens.valid(alice)))).isEmpty();
        assertThat(rest.get("/api/chats/" + chatId + "/messages", Tokens.valid(mallory)).statusCode())
                .isEqualTo(403);
    }

    // ---- Uploads and media ---------------------------------------------------------------------------------------

    @Test
    void anUploadedPngIsStoredAsAnImageMessageThoughNamedTxt() {
        String alice = user("alice");
        String bob = user("bob");
        String chatId = createChat(alice, bob);
        TestSocket bobPhone = connectAs(bob);
        byte[] png = png();

        HttpResponse<String> response = rest.post("/api/chats/" + chatId + "/messages", Tokens.valid(alice),
                new Rest.Multipart()
                        .field("text", "look at this")
                        .field("clientMessageId", "up-1")
                        .file("files", "cat.txt", "text/plain", png));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode messages = Rest.json(response).path("messages");
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0).path("type").asText()).isEqualTo("text");
        JsonNode image = messages.get(1);
        assertThat(image.path("type").asText()).isEqualTo("image");
        assertThat(image.path("attachment").path("mimeType").asText()).isEqualTo("image/png");
        assertThat(image.path("attachment").path("name").asText()).isEqualTo("cat.txt");
        String url = image.path("attachment").path("url").asText();
        bobPhone.awaitEvent("new_message", e -> e.path("message").path("type").asText().equals("image"));

        HttpResponse<byte[]> download = rest.getBytes(url, Tokens.valid(bob));
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(png);
        assertThat(download.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(download.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(download.headers().firstValue("Content-Disposition"))
                .hasValue("inline; filename=\"cat.txt\"; filename*=UTF-8''cat.txt");
    }

    @Test
    void anSvgUploadIsRefusedWith415AndNothingIsStored() {
        String alice = user("alice");
        String chatId = createChat(alice, user("bob"));
        byte[] svg = ("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\">"
                + "<script>alert(document.cookie)</script></svg>").getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = rest.post("/api/chats/" + chatId + "/messages", Tokens.valid(alice),
                new Rest.Multipart().file("files", "innocent.png", "image/png", svg));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(415);
        assertThat(Rest.json(response).path("error").path("code").asText()).isEqualTo("unsupported_media_type");
        assertThat(media.putsFor(chatId)).isZero();
        assertThat(texts(rest.get("/api/chats/" + chatId + "/messages", Tokens.valid(alice)))).isEmpty();
    }

    @Test
    void anOversizedUploadIs413AndNothingIsStored() {
        String alice = user("alice");
        String bob = user("bob");
        String chatId = createChat(alice, bob);
        TestSocket bobPhone = connectAs(bob);
        byte[] big = new byte[(int) MAX_UPLOAD_BYTES * 2];
        System.arraycopy(png(), 0, big, 0, 8);

        HttpResponse<String> response = rest.post("/api/chats/" + chatId + "/messages", Tokens.valid(alice),
                new Rest.Multipart()
                        .field("text", "a caption that must not be stored either")
                        .file("files", "big.png", "image/png", big));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
        assertThat(Rest.json(response).path("error").path("code").asText()).isEqualTo("too_large");
        assertThat(media.putsFor(chatId)).isZero();
        assertThat(texts(rest.get("/api/chats/" + chatId + "/messages", Tokens.valid(alice)))).isEmpty();
        bobPhone.assertNone("new_message", e -> true);
    }

    @Test
    void aBodyLargerThanEveryUploadTogetherIs413BeforeItIsRead() {
        String alice = user("alice");
        String chatId = createChat(alice, user("bob"));
        Rest.Multipart form = new Rest.Multipart();
        for (int i = 0; i < engine.limits().maxAttachments() + 4; i++) {
            form.file("files", "part" + i + ".bin", "application/octet-stream", new byte[(int) MAX_UPLOAD_BYTES]);
        }

        HttpResponse<String> response = null;
        // The server answers from the headers and closes with most of the body unread; the kernel may then reset the
        // connection before the client has read the answer. Each try is refused, so trying again changes nothing.
        for (int attempt = 1; response == null; attempt++) {
            try {
                response = rest.post("/api/chats/" + chatId + "/messages", Tokens.valid(alice), form);
            } catch (UncheckedIOException resetBeforeTheAnswer) {
                if (attempt == 3) {
                    throw resetBeforeTheAnswer;
                }
            }
        }

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(media.putsFor(chatId)).isZero();
    }

    @Test
    void aNonMembersUploadIsRefusedWith403FromItsHeadersWithoutTheServerReadingTheBody() throws Exception {
        String alice = user("alice");
        String chatId = createChat(alice, user("bob"));
        String mallory = user("mallory");
        long declared = ChatServlet.multipartConfig(engine.limits()).getMaxRequestSize() - 1;
        byte[] firstKilobyte = new byte[1024];

        // The client sends the headers and the first kilobyte of a body it declares far longer, then waits: a server
        // that read the body before checking the membership would wait too, and the read would time out.
        try (RawHttp upload = RawHttp.open(server.port())) {
            upload.send("POST /api/chats/" + chatId + "/messages HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + Tokens.valid(mallory) + "\r\n"
                    + "Content-Type: multipart/form-data; boundary=xyz\r\nContent-Length: " + declared + "\r\n\r\n",
                    firstKilobyte);
            long sent = System.nanoTime();
            RawHttp.Response response = upload.readResponse();
            long answeredInMillis = (System.nanoTime() - sent) / 1_000_000;

            assertThat(response.status()).isEqualTo(403);
            assertThat(response.header("Connection")).hasValue("close");
            assertThat(upload.bytesSent()).isLessThan(4096);
            assertThat(answeredInMillis).as("answered in %d ms", answeredInMillis).isLessThan(2_000);
        }
        assertThat(media.putsFor(chatId)).isZero();
    }

    @Test
    void aMultipartSendToTheJsonRouteIs415NamingTheChatsRoute() {
        String alice = user("alice");
        String chatId = createChat(alice, user("bob"));

        HttpResponse<String> response = rest.post("/api/messages", Tokens.valid(alice), new Rest.Multipart()
                .field("chatId", chatId).file("files", "cat.png", "image/png", png()));

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(Rest.json(response).path("error").path("message").asText())
                .contains("POST /api/chats/{chatId}/messages");
        assertThat(media.putsFor(chatId)).isZero();
    }

    @Test
    void jsonSendsToTheChatsRouteAreStoredLikeSendsToTheMessagesRoute() {
        String alice = user("alice");
        String chatId = createChat(alice, user("bob"));

        HttpResponse<String> response = rest.postJson("/api/chats/" + chatId + "/messages", Tokens.valid(alice),
                "{\"text\":\"by path\",\"clientMessageId\":\"p-1\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(texts(rest.get("/api/chats/" + chatId + "/messages", Tokens.valid(alice))))
                .containsExactly("by path");
    }

    @Test
    void aFloodOfPartsIs413AndNothingIsStored() {
        String alice = user("alice");
        String chatId = createChat(alice, user("bob"));
        Rest.Multipart form = new Rest.Multipart().field("text", "one of many parts");
        for (int i = 0; i < 600; i++) {
            form.field("x" + i, "y");
        }

        HttpResponse<String> response = rest.post("/api/chats/" + chatId + "/messages", Tokens.valid(alice), form);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
        assertThat(Rest.json(response).path("error").path("code").asText()).isEqualTo("too_large");
        assertThat(texts(rest.get("/api/chats/" + chatId + "/messages", Tokens.valid(alice)))).isEmpty();
    }

    @Test
    void mediaIsServedToMembersOnlyAndIs404ForEveryoneElse() {
        String alice = user("alice");
        String bob = user("bob");
        String mallory = user("mallory");
        String chatId = createChat(alice, bob);
        HttpResponse<String> response = rest.post("/api/chats/" + chatId + "/messages", Tokens.valid(alice),
                new Rest.Multipart().file("files", "photo.png", "image/png", png()));
        String url = Rest.json(response).path("messages").get(0).path("attachment").path("url").asText();

        assertThat(rest.getBytes(url, Tokens.valid(bob)).statusCode()).isEqualTo(200);
        HttpResponse<String> stranger = rest.get(url, Tokens.valid(mallory));
        assertThat(stranger.statusCode()).isEqualTo(404);
        assertThat(Rest.json(stranger).path("error").path("code").asText()).isEqualTo("not_found");
        assertThat(rest.get("/api/media/no-such-media", Tokens.valid(bob)).statusCode()).isEqualTo(404);
        assertThat(rest.get(url, null).statusCode()).isEqualTo(401);
    }

    @Test
    void aLateJoinerGets404ForTheFileOfAMessageFromBeforeItsJoiningAsAStrangerDoes() {
        String alice = user("alice");
        String bob = user("bob");
        String carol = user("carol");
        String mallory = user("mallory");
        HttpResponse<String> created = rest.postJson("/api/chats", Tokens.valid(alice),
                "{\"participants\":[\"" + bob + "\"],\"name\":\"" + FROM_JOIN + "\"}");
        String chatId = Rest.json(created).path("chat").path("id").asText();
        String oldUrl = fileUrl(alice, chatId);
        assertThat(rest.postJson("/api/chats/" + chatId + "/participants", Tokens.valid(alice),
                "{\"userId\":\"" + carol + "\"}").statusCode()).isEqualTo(200);
        String newUrl = fileUrl(bob, chatId);

        HttpResponse<String> hidden = rest.get(oldUrl, Tokens.valid(carol));
        HttpResponse<String> stranger = rest.get(oldUrl, Tokens.valid(mallory));
        assertThat(hidden.statusCode()).isEqualTo(404);
        assertThat(hidden.body()).isEqualTo(stranger.body());
        assertThat(rest.getBytes(newUrl, Tokens.valid(carol)).statusCode()).isEqualTo(200);
        assertThat(rest.getBytes(oldUrl, Tokens.valid(bob)).statusCode()).isEqualTo(200);
    }

    private String fileUrl(String sender, String chatId) {
        HttpResponse<String> response = rest.post("/api/chats/" + chatId + "/messages", Tokens.valid(sender),
                new Rest.Multipart().file("files", "photo.png", "image/png", png()));
        return Rest.json(response).path("messages").get(0).path("attachment").path("url").asText();
    }

    // ---- Helpers -------------------------------------------------------------------------------------------------

    private static String user(String name) {
        return name + "-" + USERS.incrementAndGet();
    }

    private TestSocket open(String origin, String bearer) throws IOException, DeploymentException {
        TestSocket socket = TestSocket.open(client, URI.create("ws://127.0.0.1:" + server.port() + "/ws"), origin,
                bearer);
        sockets.add(socket);
        return socket;
    }

    /** Opens a socket as a browser does: an allowed Origin, then a connect frame. */
    private TestSocket connectAs(String userId) {
        return connectAs(userId, Map.of());
    }

    private TestSocket connectAs(String userId, Map<String, Long> resume) {
        try {
            TestSocket socket = open(ORIGIN, null);
            Map<String, Object> connect = new HashMap<>();
            connect.put("type", "connect");
            connect.put("token", Tokens.valid(userId));
            connect.put("resume", resume);
            socket.send(connect);
            socket.awaitEvent("connected");
            return socket;
        } catch (IOException | DeploymentException e) {
            throw new IllegalStateException(e);
        }
    }

    private String createChat(String creator, String... others) {
        return rest.createChat(creator, others);
    }

    private void sendText(String sender, String chatId, String text) {
        rest.sendText(sender, chatId, text);
    }

    private static boolean isOnline(Rest on, String asker, String userId) {
        HttpResponse<String> response = on.get("/api/presence?users=" + userId, Tokens.valid(asker));
        assertThat(response.statusCode()).isEqualTo(200);
        return Rest.json(response).path("presence").path(userId).asBoolean();
    }

    private boolean presenceOf(String asker, String userId) {
        return isOnline(rest, asker, userId);
    }

    private static List<String> texts(HttpResponse<String> history) {
        assertThat(history.statusCode()).as(history.body()).isEqualTo(200);
        return StreamSupport.stream(Rest.json(history).path("messages").spliterator(), false)
                .map(m -> m.path("text").asText()).toList();
    }

    private static byte[] png() {
        BufferedImage image = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0xff0000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
