package dev.chatwire.core.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chatwire.core.Attachment;
import dev.chatwire.core.Message;
import dev.chatwire.core.MessageType;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProtocolCodecTest {

    private final ProtocolCodec codec = new ProtocolCodec();

    private JsonNode tree(Object event) throws Exception {
        return codec.mapper().readTree(codec.encode(event));
    }

    private static final Message IMAGE = new Message("m1", "c1", 7, "alice", MessageType.IMAGE, null,
            new Attachment("media-9", "image/png", 123, "cat.png"), "client-1",
            Instant.parse("2026-01-02T03:04:05.006Z"));

    @Test
    void messagesUseLowercaseTypesIsoInstantsAndAttachmentUrlsWithoutNulls() throws Exception {
        JsonNode frame = tree(new ServerEvent.NewMessage(IMAGE));

        assertThat(frame.path("type").asText()).isEqualTo("new_message");
        JsonNode message = frame.path("message");
        assertThat(message.path("type").asText()).isEqualTo("image");
        assertThat(message.path("seq").asLong()).isEqualTo(7);
        assertThat(message.path("createdAt").asText()).isEqualTo("2026-01-02T03:04:05.006Z");
        assertThat(message.path("attachment").path("url").asText()).isEqualTo("/api/media/media-9");
        assertThat(message.path("attachment").path("mimeType").asText()).isEqualTo("image/png");
        assertThat(message.has("text")).isFalse();
    }

    @Test
    void everyEventCarriesItsTypeName() throws Exception {
        Map<Object, String> events = Map.of(
                new ServerEvent.Connected("u", "conn", List.of("c1"), Map.of("c1", 3L), Map.of("c1", 2L),
                        Map.of("c1", 1L), Map.of("c1", Map.of("bob", 3L)), Map.of("c1", List.of("bob")), Map.of()),
                "connected",
                new ServerEvent.MessageUpdated("c1", 9, IMAGE), "message_updated",
                new ServerEvent.Ack("k", IMAGE), "ack",
                new ServerEvent.Typing("c1", "u", true), "typing",
                new ServerEvent.Read("c1", "u", 4), "read",
                new ServerEvent.Presence("c1", "u", false), "presence",
                new ServerEvent.ChatLeft("c1"), "chat_left",
                new ServerEvent.Error("invalid", "bad", null), "error",
                new ServerEvent.Pong(), "pong");
        for (Map.Entry<Object, String> entry : events.entrySet()) {
            assertThat(tree(entry.getKey()).path("type").asText()).isEqualTo(entry.getValue());
            assertThat(((ServerEvent) entry.getKey()).typeName()).isEqualTo(entry.getValue());
        }
    }

    @Test
    void splicedFramesAreTheSameTextAsEncodedEvents() {
        Message text = new Message("m2", "c1", 8, "bob", MessageType.TEXT, "say \"hi\" \u2603\n", null, null,
                Instant.parse("2026-01-02T03:04:05Z"));
        for (Message message : List.of(IMAGE, text)) {
            String json = codec.encodeMessage(message);
            assertThat(codec.newMessageFrame(json)).isEqualTo(codec.encode(new ServerEvent.NewMessage(message)));
            List<String> clientMessageIds = Arrays.asList("k-1", "quote\" and \\ backslash",
                    "tab\t, bell \u0007, é, \u2028", null);
            for (String clientMessageId : clientMessageIds) {
                assertThat(codec.ackFrame(clientMessageId, json))
                        .isEqualTo(codec.encode(new ServerEvent.Ack(clientMessageId, message)));
            }
        }
        List<String> both = List.of(codec.encodeMessage(IMAGE), codec.encodeMessage(text));
        assertThat(codec.messagesBody(both)).isEqualTo(codec.encode(Map.of("messages", List.of(IMAGE, text))));
        assertThat(codec.messagesBody(both.subList(0, 1))).isEqualTo(codec.encode(Map.of("messages", List.of(IMAGE))));
    }

    @Test
    void eventsRoundTrip() throws Exception {
        ServerEvent.Ack ack = new ServerEvent.Ack("client-1", IMAGE);
        assertThat(codec.decodeEvent(codec.encode(ack))).isEqualTo(ack);
        assertThat(codec.encode(new ServerEvent.Pong())).isEqualTo("{\"type\":\"pong\"}");
        assertThat(codec.decodeEvent("{\"type\":\"pong\"}")).isEqualTo(new ServerEvent.Pong());
    }

    @Test
    void commandsDecodeAndIgnoreUnknownFields() throws Exception {
        assertThat(codec.decodeCommand("{\"type\":\"send\",\"chatId\":\"c\",\"text\":\"hi\",\"future\":1}"))
                .isEqualTo(new ClientCommand.Send("c", "hi", null));
        assertThat(codec.decodeCommand("{\"type\":\"connect\",\"token\":\"t\",\"resume\":{\"c\":5}}"))
                .isEqualTo(new ClientCommand.Connect("t", Map.of("c", 5L)));
        assertThat(codec.decodeCommand("{\"type\":\"typing\",\"chatId\":\"c\"}"))
                .isEqualTo(new ClientCommand.Typing("c", true));
        assertThat(codec.decodeCommand("{\"type\":\"ping\"}")).isEqualTo(new ClientCommand.Ping());
    }

    @Test
    void badCommandsNameTheirProblem() {
        assertThatThrownBy(() -> codec.decodeCommand("{\"type\":\"connect\"}"))
                .isInstanceOf(ProtocolException.class).hasMessage("missing field 'token'");
        assertThatThrownBy(() -> codec.decodeCommand("{\"type\":\"connect\",\"token\":\"t\",\"resume\":{\"c\":-2}}"))
                .isInstanceOf(ProtocolException.class).hasMessage("resume seq must not be negative");
        assertThatThrownBy(() -> codec.decodeCommand("{\"type\":\"send\",\"chatId\":[1],\"text\":\"x\"}"))
                .isInstanceOf(ProtocolException.class).hasMessage("field 'chatId' has the wrong type");
        assertThatThrownBy(() -> codec.decodeCommand("{\"chatId\":\"c\"}"))
                .isInstanceOf(ProtocolException.class).hasMessage("missing field 'type'");
        assertThatThrownBy(() -> codec.decodeCommand("{\"type\":\"dance\"}"))
                .isInstanceOf(ProtocolException.class).hasMessage("unknown type 'dance'");
        for (String malformed : List.of("{\"type\":\"send\",", "not json", "[1,")) {
            assertThatThrownBy(() -> codec.decodeCommand(malformed)).as(malformed)
                    .isInstanceOf(ProtocolException.class).hasMessage("malformed JSON");
        }
        for (String notAnObject : List.of("", "null", "[]", "[{\"type\":\"ping\"}]", "\"send\"", "42")) {
            assertThatThrownBy(() -> codec.decodeCommand(notAnObject)).as(notAnObject)
                    .isInstanceOf(ProtocolException.class).hasMessage("expected a JSON object");
        }
    }

    @Test
    void framesWithTrailingDataAreRefused() {
        for (String trailing : List.of("{\"type\":\"auth\",\"token\":\"t\"}{\"type\":\"auth\",\"token\":\"u\"}",
                "{\"type\":\"auth\",\"token\":\"t\"} 42", "{\"type\":\"auth\",\"token\":\"t\"} []")) {
            assertThatThrownBy(() -> codec.decodeCommand(trailing)).as(trailing)
                    .isInstanceOf(ProtocolException.class).hasMessage("unexpected data after the JSON object");
        }
        assertThatThrownBy(() -> codec.decodeCommand("{\"type\":\"auth\",\"token\":\"t\"} garbage"))
                .isInstanceOf(ProtocolException.class).hasMessage("malformed JSON");
    }

    @Test
    void aFieldGivenTwiceIsRefused() {
        assertThatThrownBy(() -> codec.decodeCommand(
                "{\"type\":\"send\",\"chatId\":\"mine\",\"chatId\":\"theirs\",\"text\":\"x\"}"))
                .isInstanceOf(ProtocolException.class).hasMessage("duplicate field 'chatId'");
        assertThatThrownBy(() -> codec.decodeCommand("{\"type\":\"read\",\"type\":\"send\",\"chatId\":\"c\","
                + "\"seq\":1,\"text\":\"x\"}"))
                .isInstanceOf(ProtocolException.class).hasMessage("duplicate field 'type'");
    }

    @Test
    void valuesOfTheWrongJsonTypeAreNotCoerced() {
        Map<String, String> wrong = Map.of(
                "{\"type\":\"read\",\"chatId\":\"c\",\"seq\":\"12\"}", "seq",
                "{\"type\":\"read\",\"chatId\":\"c\",\"seq\":12.5}", "seq",
                "{\"type\":\"read\",\"chatId\":\"c\",\"seq\":12.0}", "seq",
                "{\"type\":\"connect\",\"token\":\"t\",\"resume\":{\"c\":\"3\"}}", "resume.c",
                "{\"type\":\"typing\",\"chatId\":\"c\",\"active\":\"false\"}", "active",
                "{\"type\":\"typing\",\"chatId\":\"c\",\"active\":0}", "active",
                "{\"type\":\"send\",\"chatId\":12,\"text\":\"x\"}", "chatId",
                "{\"type\":\"send\",\"chatId\":\"c\",\"text\":true}", "text");
        wrong.forEach((frame, field) -> assertThatThrownBy(() -> codec.decodeCommand(frame)).as(frame)
                .isInstanceOf(ProtocolException.class).hasMessage("field '" + field + "' has the wrong type"));
    }

    @Test
    void strictFramesLeaveTheSharedMapperAsLenientAsDocumented() throws Exception {
        assertThat(codec.mapper().readTree("{\"a\":1,\"a\":2}").path("a").asInt()).isEqualTo(2);
        assertThat(codec.decodeCommand("{\"type\":\"read\",\"chatId\":\"c\",\"seq\":12}"))
                .isEqualTo(new ClientCommand.Read("c", 12L));
    }
}
