package dev.chatwire.core.protocol;

import dev.chatwire.core.contract.JsonInputs;
import dev.chatwire.core.contract.PropertyRunner;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any text read as a frame becomes a valid command or event, or a {@link ProtocolException} with a message for the
 * client; nothing else escapes the codec. Inputs come from {@link JsonInputs}; a failure prints its seed.
 */
class ProtocolCodecPropertyTest {

    static final List<String> VALID_COMMANDS = List.of(
            "{\"type\":\"connect\",\"token\":\"t.k.n\"}",
            "{\"type\":\"connect\",\"token\":\"t.k.n\",\"resume\":{\"c1\":3,\"c2\":0}}",
            "{\"type\":\"auth\",\"token\":\"t.k.n\"}",
            "{\"type\":\"send\",\"chatId\":\"c1\",\"text\":\"hi\",\"clientMessageId\":\"k1\"}",
            "{\"type\":\"send\",\"chatId\":\"c1\",\"text\":\"hi\"}",
            "{\"type\":\"typing\",\"chatId\":\"c1\",\"active\":false}",
            "{\"type\":\"read\",\"chatId\":\"c1\",\"seq\":12}",
            "{\"type\":\"ping\"}");
    static final List<String> COMMAND_WORDS = List.of("type", "token", "resume", "chatId", "text", "clientMessageId",
            "active", "seq", "connect", "auth", "send", "typing", "read", "ping");

    static final List<String> VALID_EVENTS = List.of(
            "{\"type\":\"connected\",\"userId\":\"u\",\"connectionId\":\"k\",\"chats\":[\"c1\"],\"seqs\":{\"c1\":3}}",
            "{\"type\":\"new_message\",\"message\":{\"id\":\"m1\",\"chatId\":\"c1\",\"seq\":7,\"senderId\":\"alice\","
                    + "\"type\":\"text\",\"text\":\"hi\",\"createdAt\":\"2026-01-02T03:04:05.006Z\"}}",
            "{\"type\":\"ack\",\"clientMessageId\":\"k\",\"message\":{\"id\":\"m1\",\"chatId\":\"c1\",\"seq\":7,"
                    + "\"senderId\":\"alice\",\"type\":\"image\",\"attachment\":{\"mediaId\":\"x\","
                    + "\"mimeType\":\"image/png\",\"size\":3,\"name\":\"a.png\"},"
                    + "\"createdAt\":\"2026-01-02T03:04:05Z\"}}",
            "{\"type\":\"typing\",\"chatId\":\"c1\",\"userId\":\"u\",\"active\":true}",
            "{\"type\":\"read\",\"chatId\":\"c1\",\"userId\":\"u\",\"seq\":4}",
            "{\"type\":\"presence\",\"chatId\":\"c1\",\"userId\":\"u\",\"online\":false}",
            "{\"type\":\"chat_joined\",\"chatId\":\"c1\",\"chat\":{\"id\":\"c1\",\"participants\":[\"a\",\"b\"],"
                    + "\"name\":\"n\",\"createdAt\":\"2026-01-02T03:04:05Z\"},\"seq\":0}",
            "{\"type\":\"chat_left\",\"chatId\":\"c1\"}",
            "{\"type\":\"error\",\"code\":\"invalid\",\"message\":\"bad\"}",
            "{\"type\":\"pong\"}");
    static final List<String> EVENT_WORDS = List.of("type", "message", "id", "chatId", "seq", "senderId", "text",
            "attachment", "createdAt", "clientMessageId", "userId", "chats", "seqs", "chat", "participants", "online",
            "active", "code", "new_message", "ack", "connected", "chat_joined", "error", "image", "file", "mediaId",
            "mimeType", "size", "name");

    private final ProtocolCodec codec = new ProtocolCodec();

    @Test
    void everyFrameDecodesToACommandThatSurvivesARoundTripOrIsRefusedWithAReason() {
        PropertyRunner.forAll("client frames",
                random -> JsonInputs.document(random, VALID_COMMANDS, COMMAND_WORDS),
                frame -> {
                    ClientCommand command;
                    try {
                        command = codec.decodeCommand(frame);
                    } catch (ProtocolException refused) {
                        assertThat(refused.getMessage()).isNotBlank();
                        return;
                    }
                    assertThat(command).isNotNull();
                    assertThat(decodesTo(codec.encode(command))).isEqualTo(command);
                });
    }

    @Test
    void everyServerFrameDecodesToAnEventOrIsRefusedWithAReason() {
        PropertyRunner.forAll("server frames",
                random -> JsonInputs.document(random, VALID_EVENTS, EVENT_WORDS),
                frame -> {
                    try {
                        assertThat(codec.decodeEvent(frame)).isNotNull();
                    } catch (ProtocolException refused) {
                        assertThat(refused.getMessage()).isNotBlank();
                    }
                });
    }

    @Test
    void theValidSamplesDecode() throws ProtocolException {
        for (String frame : VALID_COMMANDS) {
            assertThat(codec.decodeCommand(frame)).isNotNull();
        }
        for (String frame : VALID_EVENTS) {
            assertThat(codec.decodeEvent(frame)).isNotNull();
        }
    }

    private ClientCommand decodesTo(String frame) {
        try {
            return codec.decodeCommand(frame);
        } catch (ProtocolException e) {
            throw new AssertionError("the re-encoded command " + frame + " was refused: " + e.getMessage(), e);
        }
    }
}
