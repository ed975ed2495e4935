package dev.chatwire.client;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The protocol's JSON: commands written, events read (docs/protocol.md). Unknown fields are ignored, so a newer
 * server's additions do not break this client. Thread-safe.
 */
final class Frames {

    /** The mapper for frames and REST bodies: records, ISO-8601 instants, unknown fields ignored. */
    static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new SimpleModule().addDeserializer(Instant.class, new JsonDeserializer<>() {
                @Override
                public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                    return Instant.parse(parser.getValueAsString());
                }
            }))
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Frames() {
    }

    static String connect(String token, Map<String, Long> resume) {
        ObjectNode frame = command("connect").put("token", token);
        if (!resume.isEmpty()) {
            ObjectNode seqs = frame.putObject("resume");
            resume.forEach(seqs::put);
        }
        return write(frame);
    }

    static String auth(String token) {
        return write(command("auth").put("token", token));
    }

    static String send(String chatId, String text, String clientMessageId) {
        return write(command("send").put("chatId", chatId).put("text", text).put("clientMessageId", clientMessageId));
    }

    static String typing(String chatId) {
        return write(command("typing").put("chatId", chatId));
    }

    static String read(String chatId, long seq) {
        return write(command("read").put("chatId", chatId).put("seq", seq));
    }

    /** Decodes a server frame; throws {@link IllegalArgumentException} for one that is not a protocol frame. */
    static Incoming decode(String frame) {
        try {
            JsonNode node = JSON.readTree(frame);
            String type = node.path("type").asText("");
            return switch (type) {
                case "connected" -> new Incoming.Connected(node.path("userId").asText(),
                        node.path("connectionId").asText(), List.of(JSON.treeToValue(node.path("chats"),
                        String[].class)), seqs(node.path("seqs")), seqs(node.path("historyAfter")));
                case "new_message" -> new Incoming.NewMessage(message(node));
                case "message_updated" -> new Incoming.MessageUpdated(new MessageUpdate(node.path("chatId").asText(),
                        node.path("seq").asLong(), message(node)));
                case "ack" -> new Incoming.Ack(node.path("clientMessageId").asText(),
                        message(node));
                case "typing" -> new Incoming.Event(JSON.treeToValue(node, TypingEvent.class));
                case "read" -> new Incoming.Event(JSON.treeToValue(node, ReadEvent.class));
                case "presence" -> new Incoming.Event(JSON.treeToValue(node, PresenceEvent.class));
                case "chat_joined" -> new Incoming.Event(JSON.treeToValue(node, ChatJoinedEvent.class));
                case "chat_left" -> new Incoming.Event(JSON.treeToValue(node, ChatLeftEvent.class));
                case "chat_updated" -> new Incoming.Event(JSON.treeToValue(node, ChatUpdatedEvent.class));
                case "error" -> new Incoming.Error(node.path("code").asText(), node.path("message").asText(),
                        node.hasNonNull("clientMessageId") ? node.get("clientMessageId").asText() : null);
                default -> new Incoming.Unknown(type);
            };
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a protocol frame: " + e.getMessage(), e);
        }
    }

    private static Message message(JsonNode frame) throws JsonProcessingException {
        JsonNode message = frame.get("message");
        if (message == null || !message.isObject()) {
            throw new IllegalArgumentException("a " + frame.path("type").asText() + " frame without its message");
        }
        return JSON.treeToValue(message, Message.class);
    }

    private static Map<String, Long> seqs(JsonNode node) {
        Map<String, Long> seqs = new HashMap<>();
        node.fields().forEachRemaining(field -> seqs.put(field.getKey(), field.getValue().asLong()));
        return seqs;
    }

    private static ObjectNode command(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    private static String write(ObjectNode frame) {
        try {
            return JSON.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
