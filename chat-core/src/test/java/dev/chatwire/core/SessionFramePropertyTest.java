package dev.chatwire.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chatwire.core.contract.JsonInputs;
import dev.chatwire.core.contract.PropertyRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.chatwire.core.EngineFixture.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Any frame a socket sends gets a documented outcome: before {@code connect}, the socket is closed with 4401 unless
 * the frame is a valid {@code connect}; after it, the frame is handled or answered with an {@code error} of a
 * documented code other than {@code internal}, and the socket stays open.
 */
class SessionFramePropertyTest {

    private static final Set<String> CLIENT_ERROR_CODES = Arrays.stream(ErrorCode.values())
            .filter(code -> code != ErrorCode.INTERNAL).map(ErrorCode::wireName).collect(Collectors.toSet());

    private final EngineFixture fixture = new EngineFixture(ChatLimits.defaults().toBuilder()
            .commandRate(1_000_000, 1_000_000).build());
    private final Chat chat = fixture.chat("alice", "bob");
    private final List<String> validFrames = List.of(
            "{\"type\":\"connect\",\"token\":\"valid:alice\"}",
            "{\"type\":\"connect\",\"token\":\"valid:alice\",\"resume\":{\"" + chat.id() + "\":0}}",
            "{\"type\":\"auth\",\"token\":\"valid:alice\"}",
            "{\"type\":\"send\",\"chatId\":\"" + chat.id() + "\",\"text\":\"hi\",\"clientMessageId\":\"k1\"}",
            "{\"type\":\"typing\",\"chatId\":\"" + chat.id() + "\",\"active\":false}",
            "{\"type\":\"read\",\"chatId\":\"" + chat.id() + "\",\"seq\":1}",
            "{\"type\":\"ping\"}");
    private final List<String> words = List.of("type", "token", "resume", "chatId", "text", "clientMessageId",
            "active", "seq", "connect", "auth", "send", "typing", "read", "ping", "valid:alice", "valid:bob",
            chat.id());

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void beforeConnectEveryFrameButAValidConnectClosesTheSocketWith4401() {
        PropertyRunner.forAll("first frames", 500, random -> JsonInputs.document(random, validFrames, words), frame -> {
            FakeConnection connection = open(fixture.engine);
            connection.session.onText(frame);
            // A connect frame's admission runs on the engine's executor: it ends connected or closed.
            await().until(() -> connection.closeCode != null || !connection.ofType("connected").isEmpty());
            assertThat(connection.ofType("error")).isEmpty();
            if (connection.closeCode == null) {
                connection.session.onClose();
            } else {
                assertThat(connection.closeCode).isEqualTo(CloseCodes.UNAUTHORIZED);
            }
        });
    }

    @Test
    void afterConnectEveryFrameIsHandledOrAnsweredWithADocumentedClientError() {
        FakeConnection alice = fixture.connect("alice");
        PropertyRunner.forAll("frames after connect", 500, random -> JsonInputs.document(random, validFrames, words),
                frame -> {
                    int before = alice.received.size();
                    alice.session.onText(frame);
                    fixture.executor.awaitIdleQuickly();
                    assertThat(alice.closeCode).isNull();
                    for (JsonNode answer : alice.received.subList(before, alice.received.size())) {
                        if (answer.path("type").asText().equals("error")) {
                            assertThat(answer.path("code").asText()).isIn(CLIENT_ERROR_CODES);
                            assertThat(answer.path("message").asText()).isNotBlank();
                        }
                    }
                });
    }
}
