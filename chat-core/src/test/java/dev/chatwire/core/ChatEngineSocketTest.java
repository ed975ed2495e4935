package dev.chatwire.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chatwire.core.memory.InMemoryMessageStore;
import dev.chatwire.core.memory.InMemoryPresenceRegistry;
import dev.chatwire.core.memory.InMemoryRoomBroadcaster;
import dev.chatwire.core.spi.MessageStore;
import dev.chatwire.core.spi.PresenceRegistry;
import dev.chatwire.core.spi.RoomBroadcaster;
import dev.chatwire.core.spi.RoomEvent;
import dev.chatwire.core.spi.RoomListener;
import dev.chatwire.core.spi.Subscription;
import dev.chatwire.core.spi.UnavailableException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static dev.chatwire.core.EngineFixture.open;
import static dev.chatwire.core.EngineFixture.sendFrame;
import static dev.chatwire.core.EngineFixture.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

class ChatEngineSocketTest {

    @Test
    void connectFrameAuthenticatesTheSocket() {
        try (EngineFixture fixture = new EngineFixture()) {
            FakeConnection connection = open(fixture.engine);
            sendFrame(connection, "{\"type\":\"connect\",\"token\":\"valid:alice\"}");
            assertThat(connection.awaitFrame("connected").path("userId").asText()).isEqualTo("alice");
            assertThat(connection.session.principal()).map(Principal::userId).contains("alice");
        }
    }

    @Test
    void badTokenIsClosedWithUnauthorized() {
        try (EngineFixture fixture = new EngineFixture()) {
            FakeConnection connection = open(fixture.engine);
            sendFrame(connection, "{\"type\":\"connect\",\"token\":\"forged\"}");
            connection.awaitClosed();
            assertThat(connection.closeCode).isEqualTo(CloseCodes.UNAUTHORIZED);
            assertThat(connection.ofType("connected")).isEmpty();
            assertThat(fixture.engine.connectionCount()).isZero();
        }
    }

    @Test
    void anyOtherFirstFrameIsClosedWithUnauthorized() {
        try (EngineFixture fixture = new EngineFixture()) {
            Chat chat = fixture.chat("alice", "bob");
            FakeConnection connection = open(fixture.engine);
            sendFrame(connection, "{\"type\":\"send\",\"chatId\":\"" + chat.id() + "\",\"text\":\"sneaky\"}");
            connection.awaitClosed();
            assertThat(connection.closeCode).isEqualTo(CloseCodes.UNAUTHORIZED);
            assertThat(fixture.messages.lastSeq(chat.id())).isZero();
        }
    }

    @Test
    void aMalformedFirstFrameIsClosedWithUnauthorizedWithoutAnError() {
        try (EngineFixture fixture = new EngineFixture()) {
            List<String> bad = List.of("not json", "[1,2]", "{\"no\":\"type\"}", "{\"type\":\"dance\"}",
                    "{\"type\":\"connect\"}", "{\"type\":\"connect\",\"token\":\"valid:alice\"} trailing");
            for (String frame : bad) {
                FakeConnection connection = open(fixture.engine);
                sendFrame(connection, frame);
                assertThat(connection.closeCode).as(frame).isEqualTo(CloseCodes.UNAUTHORIZED);
                assertThat(connection.ofType("error")).as(frame).isEmpty();
            }
            assertThat(fixture.engine.connectionCount()).isZero();
        }
    }

    @Test
    void noConnectFrameWithinTheDeadlineIsClosedWithUnauthorized() {
        ManualScheduler time = new ManualScheduler(Instant.parse("2026-01-02T03:04:05Z"));
        try (EngineFixture fixture = new EngineFixture();
             ChatEngine engine = fixture.builder().scheduler(time).clock(time.clock()).build()) {
            FakeConnection silent = open(engine);
            FakeConnection prompt = open(engine);

            time.advance(ChatLimits.defaults().connectTimeout().minusMillis(1));
            prompt.session.authenticate("valid:alice", Map.of());
            assertThat(silent.closeCode).isNull();
            time.advance(Duration.ofMillis(1));

            assertThat(silent.closeCode).isEqualTo(CloseCodes.UNAUTHORIZED);
            assertThat(prompt.closeCode).isNull();
        }
    }

    @Test
    void eventsOfAChatThatComeWhileTheSocketIsBeingAdmittedFollowConnected() {
        // The engine joins the socket to its chats' rooms, then reads each chat's last seq, then says connected:
        // alice types in their chat just as bob's last seq is read.
        AtomicReference<Runnable> whileAdmitting = new AtomicReference<>();
        try (EngineFixture fixture = new EngineFixture();
             ChatEngine engine = fixture.builder().messageStore(runningOnLastSeq(whileAdmitting)).build()) {
            Chat chat = engine.createChat(user("alice"), Set.of("alice", "bob"), null);
            FakeConnection alice = EngineFixture.connect(engine, "alice", Map.of());
            whileAdmitting.set(() -> sendFrame(alice,
                    "{\"type\":\"typing\",\"chatId\":\"" + chat.id() + "\",\"active\":true}"));

            FakeConnection bob = EngineFixture.connect(engine, "bob", Map.of());
            bob.awaitFrame("typing");
            assertThat(whileAdmitting.get()).isNull();
            assertThat(bob.received.get(0).path("type").asText()).isEqualTo("connected");
        }
    }

    @Test
    void aChatTheUserJoinsWhileTheSocketIsBeingAdmittedFollowsConnected() {
        // While bob's socket is admitted (after it joined bob's user room, before connected), alice adds him to a new
        // chat; the engine joins his socket to it on another thread, as it does for every membership change.
        AtomicReference<Runnable> whileAdmitting = new AtomicReference<>();
        try (EngineFixture fixture = new EngineFixture();
             ChatEngine engine = fixture.builder().messageStore(runningOnLastSeq(whileAdmitting)).build()) {
            Chat first = engine.createChat(user("alice"), Set.of("alice", "bob"), null);
            FakeConnection bob = open(engine);
            AtomicReference<Chat> second = new AtomicReference<>();
            whileAdmitting.set(() -> {
                second.set(engine.createChat(user("alice"), Set.of("alice", "bob"), "added while connecting"));
                // Until the membership work has run, so chat_joined would be out now were it allowed before connected;
                // the one task left is this admission.
                fixture.executor.awaitUnfinished(1);
            });

            bob.session.authenticate("valid:bob", Map.of());
            JsonNode joined = bob.awaitFrame("chat_joined");
            assertThat(joined.path("chatId").asText()).isEqualTo(second.get().id());
            List<String> types = bob.received.stream().map(frame -> frame.path("type").asText()).toList();
            assertThat(types.indexOf("connected")).isZero();
            assertThat(bob.ofType("connected").get(0).path("chats")).extracting(JsonNode::asText)
                    .containsExactly(first.id());
        }
    }

    @Test
    void eventsOfAChatThatComeWhileALiveSocketJoinsItFollowChatJoined() {
        // A broadcaster that, once armed, has someone type in a chat's room as soon as this node subscribes to it:
        // after the engine joins bob's socket to the new chat's room and before it sends chat_joined.
        InMemoryRoomBroadcaster delivery = new InMemoryRoomBroadcaster();
        AtomicBoolean armed = new AtomicBoolean();
        RoomBroadcaster typingOnSubscribe = new RoomBroadcaster() {
            @Override
            public Subscription subscribe(String room, RoomListener listener) {
                Subscription subscription = delivery.subscribe(room, listener);
                if (room.startsWith("chat:") && armed.getAndSet(false)) {
                    String chatId = room.substring("chat:".length());
                    delivery.publish(room, new RoomEvent("typing", chatId, 0,
                            "{\"type\":\"typing\",\"chatId\":\"" + chatId
                                    + "\",\"userId\":\"alice\",\"active\":true}"));
                }
                return subscription;
            }

            @Override
            public void publish(String room, RoomEvent event) {
                delivery.publish(room, event);
            }
        };
        try (EngineFixture fixture = new EngineFixture();
             ChatEngine engine = fixture.builder().roomBroadcaster(typingOnSubscribe).build()) {
            FakeConnection bob = EngineFixture.connect(engine, "bob", Map.of());
            armed.set(true);

            engine.createChat(user("alice"), Set.of("alice", "bob"), null);
            bob.awaitFrame("typing");
            assertThat(armed).isFalse();
            List<String> types = bob.received.stream().map(frame -> frame.path("type").asText()).toList();
            assertThat(types.indexOf("chat_joined")).isBetween(0, types.indexOf("typing"));
        }
    }

    @Test
    void aSocketIsOnlineBeforeItIsToldConnected() {
        FakeConnection bob = new FakeConnection();
        List<Boolean> toldConnectedFirst = new ArrayList<>();
        PresenceRegistry presence = new DelegatingPresenceRegistry(new InMemoryPresenceRegistry()) {
            @Override
            public boolean connect(String userId, String connectionId) {
                toldConnectedFirst.add(!bob.ofType("connected").isEmpty());
                return super.connect(userId, connectionId);
            }
        };
        try (EngineFixture fixture = new EngineFixture();
             ChatEngine engine = fixture.builder().presenceRegistry(presence).build()) {
            bob.session = engine.open(bob);
            bob.session.authenticate("valid:bob", Map.of());
            bob.awaitFrame("connected");
            assertThat(toldConnectedFirst).containsExactly(false);
            assertThat(presence.online(List.of("bob"))).containsEntry("bob", true);
        }
    }

    @Test
    void aSocketThatClosesWhileItIsAdmittedEndsOfflineForTheOthers() throws Exception {
        // Bob's socket closes on another thread just as the engine registers it in presence: the others must be left
        // with bob offline, whichever of the admission and the close publishes first.
        AtomicReference<FakeConnection> closing = new AtomicReference<>();
        PresenceRegistry closesDuringConnect = new DelegatingPresenceRegistry(new InMemoryPresenceRegistry()) {
            @Override
            public boolean connect(String userId, String connectionId) {
                boolean first = super.connect(userId, connectionId);
                FakeConnection socket = closing.getAndSet(null);
                if (socket != null) {
                    Thread closer = new Thread(() -> socket.session.onClose());
                    closer.start();
                    try {
                        // The close finishes before the admission publishes bob online.
                        closer.join(5_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return first;
            }
        };
        try (EngineFixture fixture = new EngineFixture();
             ChatEngine engine = fixture.builder().presenceRegistry(closesDuringConnect).build()) {
            Chat chat = engine.createChat(user("bob"), Set.of("alice", "bob"), null);
            FakeConnection alice = EngineFixture.connect(engine, "alice", Map.of());
            FakeConnection bob = open(engine);
            closing.set(bob);
            bob.session.authenticate("valid:bob", Map.of());

            await().atMost(Duration.ofSeconds(5)).until(() -> presenceOf(alice, "bob").contains(true)
                    && presenceOf(alice, "bob").get(presenceOf(alice, "bob").size() - 1).equals(false));
            assertThat(closesDuringConnect.online(List.of("bob"))).containsEntry("bob", false);
            fixture.awaitIdle();
            List<Boolean> heard = presenceOf(alice, "bob");
            assertThat(heard.get(heard.size() - 1)).as("the last of %s", heard).isFalse();
            assertThat(chat.participants()).contains("bob");
        }
    }

    @Test
    void anExpiryAnnouncedForAUserWhoHasComeBackIsNotPublished() {
        AtomicReference<Consumer<Set<String>>> expiryListener = new AtomicReference<>();
        PresenceRegistry expiring = new DelegatingPresenceRegistry(new InMemoryPresenceRegistry()) {
            @Override
            public Subscription onExpired(Consumer<Set<String>> usersWentOffline) {
                expiryListener.set(usersWentOffline);
                return super.onExpired(usersWentOffline);
            }
        };
        try (EngineFixture fixture = new EngineFixture();
             ChatEngine engine = fixture.builder().presenceRegistry(expiring).build()) {
            Chat chat = engine.createChat(user("carol"), Set.of("alice", "bob", "carol"), null);
            engine.markRead(user("bob"), chat.id(), 0);
            FakeConnection alice = EngineFixture.connect(engine, "alice", Map.of());
            EngineFixture.connect(engine, "bob", Map.of());
            await().atMost(Duration.ofSeconds(5)).until(() -> presenceOf(alice, "bob").equals(List.of(true)));

            // Carol's connections on a dead node expired; bob's did too, but he has reconnected here since.
            expiryListener.get().accept(Set.of("bob", "carol"));

            await().atMost(Duration.ofSeconds(5)).until(() -> presenceOf(alice, "carol").equals(List.of(false)));
            assertThat(presenceOf(alice, "bob")).containsExactly(true);
        }
    }

    /** An in-memory message store that runs the armed hook once, the next time the engine reads a chat's last seq. */
    private static MessageStore runningOnLastSeq(AtomicReference<Runnable> hook) {
        return new DelegatingMessageStore(new InMemoryMessageStore()) {
            @Override
            public long lastSeq(String chatId) {
                Runnable armed = hook.getAndSet(null);
                if (armed != null) {
                    armed.run();
                }
                return super.lastSeq(chatId);
            }
        };
    }

    private static List<Boolean> presenceOf(FakeConnection watcher, String userId) {
        return watcher.ofType("presence").stream()
                .filter(event -> event.path("userId").asText().equals(userId))
                .map(event -> event.path("online").asBoolean())
                .toList();
    }

    @Test
    void aSocketWhosePresenceCannotBeRegisteredIsClosedWith1013AndNeverToldConnected() {
        PresenceRegistry down = new DelegatingPresenceRegistry(new InMemoryPresenceRegistry()) {
            @Override
            public boolean connect(String userId, String connectionId) {
                throw new UnavailableException("presence down");
            }
        };
        try (EngineFixture fixture = new EngineFixture();
             ChatEngine engine = fixture.builder().presenceRegistry(down).build()) {
            fixture.chats.create("alice", Set.of("alice", "bob"), null, java.time.Instant.now());
            FakeConnection bob = open(engine);
            bob.session.authenticate("valid:bob", Map.of());
            bob.awaitClosed();
            assertThat(bob.closeCode).isEqualTo(CloseCodes.TRY_AGAIN_LATER);
            assertThat(bob.received).isEmpty();
            assertThat(engine.connectionCount()).isZero();
        }
    }

    @Test
    void malformedFramesGetAnErrorAndTheSocketStaysUsable() {
        try (EngineFixture fixture = new EngineFixture()) {
            Chat chat = fixture.chat("alice", "bob");
            FakeConnection alice = fixture.connect("alice");
            List<String> bad = List.of("not json", "[1,2]", "{\"no\":\"type\"}", "{\"type\":\"dance\"}",
                    "{\"type\":\"send\",\"text\":\"no chat\"}", "{\"type\":\"read\",\"chatId\":\"c\",\"seq\":\"x\"}",
                    "{\"type\":\"read\",\"chatId\":\"c\",\"seq\":-1}");

            bad.forEach(frame -> sendFrame(alice, frame));
            sendFrame(alice, "{\"type\":\"send\",\"chatId\":\"" + chat.id() + "\",\"text\":\"still fine\"}");

            alice.awaitFrame("new_message");
            List<JsonNode> errors = alice.ofType("error");
            assertThat(errors).hasSize(bad.size()).allSatisfy(e -> assertThat(e.path("code").asText())
                    .isEqualTo("invalid"));
            assertThat(errors).extracting(e -> e.path("message").asText()).containsExactly(
                    "malformed JSON", "expected a JSON object", "missing field 'type'", "unknown type 'dance'",
                    "missing field 'chatId'", "field 'seq' has the wrong type", "seq must not be negative");
            assertThat(alice.closeCode).isNull();
        }
    }

    @Test
    void oversizedFramesCloseWithTooBig() {
        ChatLimits limits = ChatLimits.defaults().toBuilder().maxFrameChars(1000).build();
        try (EngineFixture fixture = new EngineFixture(limits)) {
            Chat chat = fixture.chat("alice", "bob");
            FakeConnection alice = fixture.connect("alice");
            sendFrame(alice, "{\"type\":\"send\",\"chatId\":\"" + chat.id() + "\",\"text\":\"" + "x".repeat(2000)
                    + "\"}");
            assertThat(alice.closeCode).isEqualTo(CloseCodes.TOO_BIG);
            assertThat(fixture.messages.lastSeq(chat.id())).isZero();
        }
    }

    @Test
    void textOverTheLimitIsRefusedAsTooLarge() {
        ChatLimits limits = ChatLimits.defaults().toBuilder().maxTextChars(10).build();
        try (EngineFixture fixture = new EngineFixture(limits)) {
            Chat chat = fixture.chat("alice", "bob");
            FakeConnection alice = fixture.connect("alice");
            sendFrame(alice, "{\"type\":\"send\",\"chatId\":\"" + chat.id() + "\",\"text\":\"12345678901\"}");
            assertThat(alice.awaitFrame("error").path("code").asText()).isEqualTo("too_large");
            assertThat(fixture.messages.lastSeq(chat.id())).isZero();
        }
    }

    @Test
    void commandsOverTheRateLimitAreRefused() {
        ChatLimits limits = ChatLimits.defaults().toBuilder().commandRate(0.001, 3).build();
        try (EngineFixture fixture = new EngineFixture(limits)) {
            Chat chat = fixture.chat("alice", "bob");
            FakeConnection alice = fixture.connect("alice");
            for (int i = 0; i < 5; i++) {
                sendFrame(alice, "{\"type\":\"send\",\"chatId\":\"" + chat.id() + "\",\"text\":\"m" + i + "\"}");
            }
            await().until(() -> alice.ofType("error").size() == 2);
            assertThat(alice.ofType("error")).allSatisfy(e ->
                    assertThat(e.path("code").asText()).isEqualTo("rate_limited"));
            assertThat(fixture.messages.lastSeq(chat.id())).isEqualTo(3);
        }
    }

    @Test
    void invalidFramesCountAgainstTheRateLimit() {
        ChatLimits limits = ChatLimits.defaults().toBuilder().commandRate(0.001, 3).build();
        try (EngineFixture fixture = new EngineFixture(limits)) {
            Chat chat = fixture.chat("alice", "bob");
            FakeConnection alice = fixture.connect("alice");
            for (int i = 0; i < 3; i++) {
                sendFrame(alice, "not json " + i);
            }

            sendFrame(alice, "{\"type\":\"send\",\"chatId\":\"" + chat.id() + "\",\"text\":\"one too many\"}");

            await().until(() -> alice.ofType("error").size() == 4);
            assertThat(alice.ofType("error")).extracting(e -> e.path("code").asText())
                    .containsExactly("invalid", "invalid", "invalid", "rate_limited");
            assertThat(fixture.messages.lastSeq(chat.id())).isZero();
            assertThat(alice.closeCode).isNull();
        }
    }

    @Test
    void aUserOverTheConnectionCapIsRefused() {
        ChatLimits limits = ChatLimits.defaults().toBuilder().maxConnectionsPerUser(2).build();
        try (EngineFixture fixture = new EngineFixture(limits)) {
            fixture.connect("alice");
            fixture.connect("alice");
            FakeConnection third = open(fixture.engine);
            third.session.authenticate("valid:alice", Map.of());
            third.awaitClosed();
            assertThat(third.closeCode).isEqualTo(CloseCodes.TOO_MANY_CONNECTIONS);
            fixture.connect("bob");
        }
    }

    @Test
    void aStalledConnectionIsCutWhileOthersKeepReceivingAndSendersNeverBlock() throws Exception {
        ChatLimits limits = ChatLimits.defaults().toBuilder().maxQueueBytes(20_000).build();
        try (EngineFixture fixture = new EngineFixture(limits)) {
            Chat chat = fixture.chat("alice", "bob", "carol");
            FakeConnection stalled = fixture.connect("bob");
            FakeConnection healthy = fixture.connect("carol");
            stalled.stall();

            long started = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                fixture.engine.send(user("alice"), chat.id(), "message number " + i + " " + "x".repeat(100), null);
            }
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            stalled.awaitClosed();
            assertThat(stalled.closeCode).isEqualTo(CloseCodes.SLOW_CONSUMER);
            await().until(() -> healthy.messageSeqs(chat.id()).size() == 200);
            assertThat(healthy.closeCode).isNull();
            // Not a speed benchmark: a sender blocked on the stalled socket would hang here forever.
            assertThat(elapsedMillis).isLessThan(30_000);
            assertThat(fixture.engine.presence(user("alice"), List.of("bob"))).containsEntry("bob", false);
        }
    }

    @Test
    void anExpiredTokenClosesTheSocketUnlessRefreshedInTime() {
        ManualScheduler time = new ManualScheduler(Instant.parse("2026-01-02T03:04:05Z"));
        try (EngineFixture fixture = new EngineFixture();
             ChatEngine engine = fixture.builder().scheduler(time).clock(time.clock()).build()) {
            long soon = time.clock().millis() + 300;
            FakeConnection expiring = open(engine);
            expiring.session.authenticate("expiring:alice:" + soon, Map.of());
            FakeConnection refreshed = open(engine);
            refreshed.session.authenticate("expiring:alice:" + soon, Map.of());
            expiring.awaitFrame("connected");
            refreshed.awaitFrame("connected");
            time.advance(Duration.ofMillis(299));
            sendFrame(refreshed, "{\"type\":\"auth\",\"token\":\"expiring:alice:" + (soon + 60_000) + "\"}");
            assertThat(expiring.closeCode).isNull();

            time.advance(Duration.ofMillis(1));

            assertThat(expiring.closeCode).isEqualTo(CloseCodes.TOKEN_EXPIRED);
            assertThat(refreshed.closeCode).isNull();
            time.advance(Duration.ofSeconds(59));
            assertThat(refreshed.closeCode).isNull();
            time.advance(Duration.ofSeconds(1));
            assertThat(refreshed.closeCode).isEqualTo(CloseCodes.TOKEN_EXPIRED);
        }
    }

    @Test
    void aRefreshedTokenMustNameTheSameUser() {
        try (EngineFixture fixture = new EngineFixture()) {
            FakeConnection alice = fixture.connect("alice");
            sendFrame(alice, "{\"type\":\"auth\",\"token\":\"valid:mallory\"}");
            assertThat(alice.awaitFrame("error").path("code").asText()).isEqualTo("forbidden");
            assertThat(alice.session.principal()).map(Principal::userId).contains("alice");
        }
    }

    @Test
    void closingTheEngineClosesEverySocketAsGoingAway() {
        EngineFixture fixture = new EngineFixture();
        FakeConnection alice = fixture.connect("alice");
        FakeConnection unauthenticated = open(fixture.engine);
        fixture.close();
        assertThat(alice.closeCode).isEqualTo(CloseCodes.GOING_AWAY);
        assertThat(unauthenticated.closeCode).isEqualTo(CloseCodes.GOING_AWAY);
    }

    @Test
    void aClosedSocketIsForgottenAndItsClosingTwiceIsHarmless() {
        try (EngineFixture fixture = new EngineFixture()) {
            fixture.chat("alice", "bob");
            FakeConnection alice = fixture.connect("alice");
            List<ClientSession> sessions = new ArrayList<>(List.of(alice.session));
            sessions.forEach(ClientSession::onClose);
            assertThatCode(() -> sessions.forEach(ClientSession::onClose)).doesNotThrowAnyException();
            assertThat(fixture.engine.connectionCount()).isZero();
            fixture.awaitIdle();
            assertThat(fixture.presence.online(List.of("alice"))).containsEntry("alice", false);
        }
    }
}
