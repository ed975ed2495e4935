package dev.chatwire.core;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static dev.chatwire.core.EngineFixture.open;
import static dev.chatwire.core.EngineFixture.sendFrame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The {@code ping} command: the heartbeat a browser's script can see, answered with {@code pong}. */
class ChatEngineHeartbeatTest {

    private static final String PING = "{\"type\":\"ping\"}";

    @Test
    void pingOnAnAuthenticatedSocketIsAnsweredWithABarePong() {
        try (EngineFixture fixture = new EngineFixture()) {
            FakeConnection alice = fixture.connect("alice");
            sendFrame(alice, PING);
            JsonNode pong = alice.awaitFrame("pong");
            assertThat(pong.size()).as("a pong carries nothing but its type: %s", pong).isEqualTo(1);
            assertThat(alice.closeCode).isNull();
        }
    }

    @Test
    void pingBeforeConnectClosesWithUnauthorizedLikeAnyOtherFirstFrame() {
        try (EngineFixture fixture = new EngineFixture()) {
            FakeConnection connection = open(fixture.engine);
            sendFrame(connection, PING);
            connection.awaitClosed();
            assertThat(connection.closeCode).isEqualTo(CloseCodes.UNAUTHORIZED);
            assertThat(connection.ofType("pong")).isEmpty();
        }
    }

    @Test
    void pingsCountAgainstTheCommandRateAndOverItAreAnsweredWithRateLimited() {
        ChatLimits limits = ChatLimits.defaults().toBuilder().commandRate(0.001, 2).build();
        try (EngineFixture fixture = new EngineFixture(limits)) {
            FakeConnection alice = fixture.connect("alice");
            for (int i = 0; i < 3; i++) {
                sendFrame(alice, PING);
            }
            await().until(() -> alice.ofType("pong").size() + alice.ofType("error").size() == 3);
            assertThat(alice.ofType("pong")).hasSize(2);
            assertThat(alice.ofType("error")).singleElement()
                    .satisfies(e -> assertThat(e.path("code").asText()).isEqualTo("rate_limited"));
        }
    }
}
