package dev.chatwire.core.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.chatwire.core.Attachment;
import dev.chatwire.core.Chat;
import dev.chatwire.core.Message;
import dev.chatwire.core.MessageType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads client commands and writes server events as JSON: ISO-8601 instants, lowercase message types, absent fields
 * instead of nulls, unknown fields ignored (so clients may send newer fields). Frames are read strictly: one JSON
 * object and nothing after it, each field once, and every value of its own JSON type (no {@code "seq":"12"}, no
 * {@code 12.5} for a whole number). Thread-safe; share one instance.
 */
public final class ProtocolCodec {

    private final ObjectMapper mapper;
    // Prepared for the types on every send's path: they skip the mapper's per-call lookups.
    private final ObjectReader commandReader;
    private final ObjectReader eventReader;
    private final ObjectWriter messageWriter;

    /** Creates a codec. */
    public ProtocolCodec() {
        SimpleModule wireNames = new SimpleModule("chatwire-wire-names")
                .addSerializer(MessageType.class, new JsonSerializer<>() {
                    @Override
                    public void serialize(MessageType type, JsonGenerator gen, SerializerProvider provider)
                            throws IOException {
                        gen.writeString(type.wireName());
                    }
                })
                .addDeserializer(MessageType.class, new JsonDeserializer<>() {
                    @Override
                    public MessageType deserialize(JsonParser parser, DeserializationContext context)
                            throws IOException {
                        return MessageType.fromWireName(parser.getValueAsString());
                    }
                });
        mapper = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .registerModule(wireNames)
                .addMixIn(Attachment.class, AttachmentUrl.class)
                .addMixIn(Chat.class, ChatWithoutConsent.class)
                .addMixIn(Message.class, MessageStateWhenChanged.class)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);
        ObjectMapper frames = strict(mapper.copy());
        commandReader = frames.readerFor(ClientCommand.class);
        // A message's state fields are absent until it changes: read as their defaults (not deleted), where a command's
        // missing number must fail.
        eventReader = frames.readerFor(ServerEvent.class).without(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        messageWriter = mapper.writerFor(Message.class);
    }

    /**
     * The settings for reading frames, on a copy of the mapper so that {@link #mapper()} keeps its documented leniency
     * for the transports' other bodies: a frame that two parsers could read differently (a duplicate field, trailing
     * data, a number in a string) is refused rather than guessed at.
     */
    private static ObjectMapper strict(ObjectMapper frames) {
        frames.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        for (LogicalType scalar : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
            frames.coercionConfigFor(scalar).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        frames.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        for (CoercionInputShape scalar : List.of(CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean)) {
            frames.coercionConfigFor(LogicalType.Textual).setCoercion(scalar, CoercionAction.Fail);
        }
        return frames;
    }

    /**
     * Keeps who accepted a chat and when each joined off the wire: only the engine needs them, to decide whose
     * presence to show and how much history each may read ({@code chat_joined} tells a user its own).
     */
    private abstract static class ChatWithoutConsent {
        @JsonIgnore
        abstract Set<String> accepted();

        @JsonIgnore
        abstract Map<String, Long> joinSeqs();
    }

    /**
     * Leaves a message's state fields off the wire until it is changed: {@code deleted} when true, reactions when any.
     */
    private abstract static class MessageStateWhenChanged {
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        abstract boolean deleted();

        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        abstract Map<String, List<String>> reactions();
    }

    /** Adds the download path to attachments on the wire. */
    private abstract static class AttachmentUrl {
        @JsonProperty("url")
        abstract String url();
    }

    /** The mapper behind this codec, configured as described above, for transports that write other JSON bodies. */
    public ObjectMapper mapper() {
        return mapper;
    }

    /** Serializes an event. */
    public String encode(Object event) {
        try {
            return mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("serializing " + event.getClass().getSimpleName(), e);
        }
    }

    /**
     * Serializes a message alone, to be spliced into {@link #newMessageFrame} and {@link #ackFrame}: a socket send
     * then serializes its message once for the sender's ack and every recipient.
     */
    public String encodeMessage(Message message) {
        try {
            return messageWriter.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("serializing a message", e);
        }
    }

    /** The {@code new_message} frame around a message from {@link #encodeMessage}; the same text as encoding it. */
    public String newMessageFrame(String messageJson) {
        return "{\"type\":\"new_message\",\"message\":" + messageJson + "}";
    }

    /**
     * The body of a {@code POST /api/messages} answer, {@code {"messages":[...]}}, around messages from
     * {@link #encodeMessage}; the same text as encoding a map of {@code messages} to the list of them.
     */
    public String messagesBody(List<String> messageJsons) {
        return "{\"messages\":[" + String.join(",", messageJsons) + "]}";
    }

    /**
     * The {@code ack} frame around a message from {@link #encodeMessage}; the same text as encoding it.
     *
     * @param clientMessageId the sender's id for the message, or {@code null}
     */
    public String ackFrame(String clientMessageId, String messageJson) {
        if (clientMessageId == null) {
            return "{\"type\":\"ack\",\"message\":" + messageJson + "}";
        }
        char[] quoted = JsonStringEncoder.getInstance().quoteAsString(clientMessageId);
        return "{\"type\":\"ack\",\"clientMessageId\":\"" + new String(quoted) + "\",\"message\":" + messageJson + "}";
    }

    /**
     * Parses a client frame.
     *
     * @throws ProtocolException naming the problem: malformed JSON, a missing or unknown type, a missing field, or a
     *                           field of the wrong type
     */
    public ClientCommand decodeCommand(String frame) throws ProtocolException {
        return decode(frame, commandReader);
    }

    /** Parses a server event, as clients and tests do. */
    public ServerEvent decodeEvent(String frame) throws ProtocolException {
        return decode(frame, eventReader);
    }

    private <T> T decode(String frame, ObjectReader reader) throws ProtocolException {
        if (!startsAnObject(frame)) {
            throw new ProtocolException(isJson(frame) ? "expected a JSON object" : "malformed JSON");
        }
        try {
            // One pass straight into the record: parsing into a tree first cost a third of a socket send's decoding.
            return reader.readValue(frame);
        } catch (InvalidTypeIdException e) {
            throw new ProtocolException(e.getTypeId() == null
                    ? "missing field 'type'" : "unknown type '" + e.getTypeId() + "'");
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ProtocolException(cause.getMessage());
        } catch (MismatchedInputException e) {
            if (e.getPath().isEmpty()) {
                // Jackson reports trailing tokens as a mismatch of the whole value, telling them apart by message only.
                throw new ProtocolException(e.getOriginalMessage().startsWith("Trailing token")
                        ? "unexpected data after the JSON object" : "expected a JSON object");
            }
            throw new ProtocolException("field '" + path(e) + "' has the wrong type");
        } catch (JsonParseException e) {
            String problem = e.getOriginalMessage();
            // The parser's duplicate check names the field; any other parse failure is just malformed.
            throw new ProtocolException(problem != null && problem.startsWith("Duplicate field ")
                    ? "duplicate field " + problem.substring("Duplicate field ".length()) : "malformed JSON");
        } catch (JsonProcessingException e) {
            throw new ProtocolException("malformed JSON");
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(e.getMessage());
        }
    }

    private boolean isJson(String frame) {
        try {
            mapper.readTree(frame);
            return true;
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private static boolean startsAnObject(String frame) {
        for (int i = 0; i < frame.length(); i++) {
            char c = frame.charAt(i);
            if (!Character.isWhitespace(c)) {
                return c == '{';
            }
        }
        return false;
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()))
                .collect(Collectors.joining("."));
    }
}
