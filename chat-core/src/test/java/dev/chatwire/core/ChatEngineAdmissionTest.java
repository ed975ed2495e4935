package dev.chatwire.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chatwire.core.spi.PresenceRegistry;
import dev.chatwire.core.spi.TokenVerifier;
import dev.chatwire.core.spi.UnavailableException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.chatwire.core.EngineFixture.open;
import static dev.chatwire.core.EngineFixture.sendFrame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;

/**
 * Admission runs on the engine's executor: the transport's call that brings the token returns at once, frames that
 * come meanwhile wait their turn, and a failed admission closes the socket.
 */
class ChatEngineAdmissionTest {

    /** Long enough for a transport call that does not block; today's blocking admission would sit here for good. */
    private static final Duration RETURNS_AT_ONCE = Duration.ofSeconds(5);

    private static final String CONNECT_ALICE = "{\"type\":\"connect\",\"token\":\"valid:alice\"}";
    private static final String PING = "{\"type\":\"ping\"}";

    /** A presence registry whose {@code connect} waits until the test releases it, then answers as told. */
    private static final class GatedPresence extends DelegatingPresenceRegistry {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch gate = new CountDownLatch(1);
        volatile boolean failWhenReleased;
        volatile Thread ranOn;

        GatedPresence(PresenceRegistry delegate) {
            super(delegate);
        }

        @Override
        public boolean connect(String userId, String connectionId) {
            ranOn = Thread.currentThread();
            entered.countDown();
            try {
                if (!gate.await(30, TimeUnit.SECONDS)) {
                    throw new UnavailableException("the test never released presence");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UnavailableException("interrupted");
            }
            if (failWhenReleased) {
                throw new UnavailableException("presence down");
            }
            return super.connect(userId, connectionId);
        }

        void awaitEntered() throws InterruptedException {
            assertThat(entered.await(30, TimeUnit.SECONDS)).as("admission reached presence").isTrue();
        }

        /** Runs the test's steps while an admission may be held here, then lets it go on, even when a step fails. */
        void whileHeld(Steps steps) throws Exception {
            try {
                steps.run();
            } finally {
                gate.countDown();
            }
        }
    }

    /** What a test does while admission waits at presence. */
    private interface Steps {
        void run() throws Exception;
    }

    /** Sends these frames in order, failing the test unless the transport's calls return at once. */
    private static void sendAtOnce(FakeConnection connection, String... frames) {
        assertTimeoutPreemptively(RETURNS_AT_ONCE, () -> {
            for (String frame : frames) {
                sendFrame(connection, frame);
            }
        });
    }

    private static String sendJson(Chat chat, String text, String clientMessageId) {
        return "{\"type\":\"send\",\"chatId\":\"" + chat.id() + "\",\"text\":\"" + text
                + "\",\"clientMessageId\":\"" + clientMessageId + "\"}";
    }

    private static List<String> types(FakeConnection connection) {
        return connection.received.stream().map(frame -> frame.path("type").asText()).toList();
    }

    @Test
    void theConnectFrameReturnsAtOnceAndAdmissionWaitsForPresenceOnAnotherThread() throws Exception {
        try (EngineFixture fixture = new EngineFixture()) {
            GatedPresence presence = new GatedPresence(fixture.presence);
            try (ChatEngine engine = fixture.builder().presenceRegistry(presence).build()) {
                FakeConnection alice = open(engine);
                presence.whileHeld(() -> {
                    sendAtOnce(alice, CONNECT_ALICE);
                    presence.awaitEntered();
                    assertThat(presence.ranOn).isNotSameAs(Thread.currentThread());
                    assertThat(alice.received).isEmpty();
                });
                assertThat(alice.awaitFrame("connected").path("userId").asText()).isEqualTo("alice");
            }
        }
    }

    @Test
    void aTokenFromTheHandshakeIsCheckedAndAdmittedWithoutHoldingTheTransportsThread() throws Exception {
        try (EngineFixture fixture = new EngineFixture()) {
            GatedPresence presence = new GatedPresence(fixture.presence);
            try (ChatEngine engine = fixture.builder().presenceRegistry(presence).build()) {
                FakeConnection alice = open(engine);
                presence.whileHeld(() -> {
                    assertTimeoutPreemptively(RETURNS_AT_ONCE,
                            () -> alice.session.authenticate("valid:alice", Map.of()));
                    presence.awaitEntered();
                });
                alice.awaitFrame("connected");
            }
        }
    }

    @Test
    void aConnectFrameThatCameInTimeIsNotCutByTheConnectDeadlineWhileItsTokenIsChecked() throws Exception {
        ManualScheduler time = new ManualScheduler(Instant.parse("2026-01-02T03:04:05Z"));
        CountDownLatch checking = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        TokenVerifier slowTokens = token -> {
            checking.countDown();
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return EngineFixture.TEST_TOKENS.verify(token);
        };
        try (EngineFixture fixture = new EngineFixture();
             ChatEngine engine = fixture.builder().tokenVerifier(slowTokens).scheduler(time).clock(time.clock())
                     .build()) {
            FakeConnection alice = open(engine);
            try {
                sendAtOnce(alice, CONNECT_ALICE);
                assertThat(checking.await(30, TimeUnit.SECONDS)).isTrue();
                time.advance(ChatLimits.defaults().connectTimeout().plusSeconds(1));
                assertThat(alice.closeCode).isNull();
            } finally {
                gate.countDown();
            }
            alice.awaitFrame("connected");
            assertThat(alice.closeCode).isNull();
        }
    }

    @Test
    void framesSentBeforeAdmissionEndsAreAnsweredInOrderAfterConnected() throws Exception {
        try (EngineFixture fixture = new EngineFixture()) {
            Chat chat = fixture.chat("alice", "bob");
            GatedPresence presence = new GatedPresence(fixture.presence);
            try (ChatEngine engine = fixture.builder().presenceRegistry(presence).build()) {
                FakeConnection alice = open(engine);
                presence.whileHeld(() -> {
                    sendAtOnce(alice, CONNECT_ALICE, sendJson(chat, "first", "m1"), PING,
                            sendJson(chat, "second", "m2"));
                    presence.awaitEntered();
                    assertThat(alice.received).isEmpty();
                    assertThat(fixture.messages.lastSeq(chat.id())).isZero();
                });
                await().until(() -> alice.ofType("ack").size() == 2);
                assertThat(types(alice)).filteredOn(Set.of("connected", "ack", "pong")::contains)
                        .containsExactly("connected", "ack", "pong", "ack");
                List<JsonNode> acks = alice.ofType("ack");
                assertThat(acks).extracting(ack -> ack.path("message").path("text").asText())
                        .containsExactly("first", "second");
                assertThat(acks).extracting(ack -> ack.path("message").path("seq").asLong())
                        .containsExactly(1L, 2L);
            }
        }
    }

    @Test
    void moreFramesBeforeConnectedThanTheCommandBurstCloseTheSocketWith1013() throws Exception {
        ChatLimits burstOfTwo = ChatLimits.defaults().toBuilder().commandRate(20, 2).build();
        try (EngineFixture fixture = new EngineFixture(burstOfTwo)) {
            GatedPresence presence = new GatedPresence(fixture.presence);
            try (ChatEngine engine = fixture.builder().limits(burstOfTwo).presenceRegistry(presence).build()) {
                FakeConnection alice = open(engine);
                presence.whileHeld(() -> {
                    sendAtOnce(alice, CONNECT_ALICE);
                    presence.awaitEntered();
                    sendAtOnce(alice, PING, PING);
                    assertThat(alice.closeCode).as("two frames held, within the burst").isNull();
                    sendAtOnce(alice, PING);
                    assertThat(alice.closeCode).isEqualTo(CloseCodes.TRY_AGAIN_LATER);
                });
                fixture.awaitIdle();
                assertThat(types(alice)).doesNotContain("connected", "pong");
                assertThat(engine.connectionCount()).isZero();
            }
        }
    }

    @Test
    void framesHeldBeforeAFailedAdmissionAreDroppedAndTheSocketClosesWith1013() throws Exception {
        try (EngineFixture fixture = new EngineFixture()) {
            Chat chat = fixture.chat("alice", "bob");
            GatedPresence presence = new GatedPresence(fixture.presence);
            presence.failWhenReleased = true;
            try (ChatEngine engine = fixture.builder().presenceRegistry(presence).build()) {
                FakeConnection alice = open(engine);
                presence.whileHeld(() -> {
                    sendAtOnce(alice, CONNECT_ALICE, sendJson(chat, "never stored", "m1"));
                    presence.awaitEntered();
                });
                alice.awaitClosed();
                fixture.awaitIdle();
                assertThat(alice.closeCode).isEqualTo(CloseCodes.TRY_AGAIN_LATER);
                assertThat(alice.received).isEmpty();
                assertThat(fixture.messages.lastSeq(chat.id())).isZero();
                assertThat(engine.connectionCount()).isZero();
            }
        }
    }

    @Test
    void aSocketClosedWhileItsAdmissionWaitsIsReleasedOnceAdmissionEnds() throws Exception {
        try (EngineFixture fixture = new EngineFixture()) {
            fixture.chat("alice", "bob");
            GatedPresence presence = new GatedPresence(fixture.presence);
            try (ChatEngine engine = fixture.builder().presenceRegistry(presence).build()) {
                FakeConnection alice = open(engine);
                presence.whileHeld(() -> {
                    sendAtOnce(alice, CONNECT_ALICE);
                    presence.awaitEntered();
                    alice.session.onClose();
                });
                fixture.awaitIdle();
                assertThat(engine.connectionCount()).isZero();
                assertThat(fixture.presence.online(Set.of("alice"))).containsEntry("alice", false);
            }
        }
    }
}
