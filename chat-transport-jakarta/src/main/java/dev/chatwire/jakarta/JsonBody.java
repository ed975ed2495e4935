package dev.chatwire.jakarta;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chatwire.core.ChatException;
import dev.chatwire.core.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A JSON object request body, read within a size bound, with typed access to its fields. Read as strictly as socket
 * frames: one object and nothing after it, each field once, and every value of its own JSON type (the typed accessors
 * refuse {@code "seq":"12"}), so that a body two parsers could read differently is refused rather than guessed at.
 */
final class JsonBody {

    private final JsonNode root;

    private JsonBody(JsonNode root) {
        this.root = root;
    }

    /**
     * Reads the body of a request that must be JSON.
     *
     * @throws ChatException 415 for another content type, 413 over {@code maxBytes}, 400 when it is not a JSON object
     */
    static JsonBody read(HttpServletRequest request, ObjectMapper mapper, long maxBytes) {
        checkHead(request, maxBytes);
        try (InputStream in = request.getInputStream()) {
            return parse(in, mapper, maxBytes);
        } catch (IOException e) {
            throw new ChatException(ErrorCode.INVALID, "could not read the request body");
        }
    }

    /**
     * Checks what the request's head says of its body, before any of it is read.
     *
     * @throws ChatException 415 for a type other than JSON, 413 for a declared length over {@code maxBytes}
     */
    static void checkHead(HttpServletRequest request, long maxBytes) {
        if (!isJson(request.getContentType())) {
            throw new ChatException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "send application/json");
        }
        if (request.getContentLengthLong() > maxBytes) {
            throw tooLarge(maxBytes);
        }
    }

    /**
     * Reads a body from a stream, which the caller closes.
     *
     * @throws ChatException 413 over {@code maxBytes}, 400 when it is not exactly one JSON object
     */
    static JsonBody parse(InputStream body, ObjectMapper mapper, long maxBytes) {
        JsonNode root;
        try {
            root = mapper.reader()
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .readTree(new BoundedInputStream(body, maxBytes));
        } catch (BoundedInputStream.TooLarge e) {
            throw tooLarge(maxBytes);
        } catch (JsonProcessingException e) {
            throw new ChatException(ErrorCode.INVALID, problem(e));
        } catch (IOException e) {
            throw new ChatException(ErrorCode.INVALID, "could not read the request body");
        }
        if (root == null || !root.isObject()) {
            throw new ChatException(ErrorCode.INVALID, "expected a JSON object");
        }
        return new JsonBody(root);
    }

    /** What is wrong with a body Jackson refused, in the words the socket's codec uses for frames. */
    private static String problem(JsonProcessingException e) {
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        // Jackson tells these two apart from other failures by message only.
        if (original.startsWith("Trailing token")) {
            return "unexpected data after the JSON object";
        }
        if (original.startsWith("Duplicate field ")) {
            return "duplicate field " + original.substring("Duplicate field ".length());
        }
        return "malformed JSON";
    }

    static ChatException tooLarge(long maxBytes) {
        return new ChatException(ErrorCode.TOO_LARGE, "the body is larger than " + maxBytes + " bytes");
    }

    /** Whether a content type is JSON: {@code application/json} or {@code application/*+json}, any parameters. */
    static boolean isJson(String contentType) {
        String type = mediaType(contentType);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }

    /** The lowercase type/subtype of a content type header, without parameters; empty when absent. */
    static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim()
                .toLowerCase(java.util.Locale.ROOT);
    }

    /** A string field, or null when it is absent or null. */
    String text(String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw wrongType(field);
        }
        return node.textValue();
    }

    /** A string field that must be present and not blank. */
    String requiredText(String field) {
        String value = text(field);
        if (value == null || value.isBlank()) {
            throw missing(field);
        }
        return value;
    }

    /** An integer field that must be present. */
    long requiredLong(String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw missing(field);
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw wrongType(field);
        }
        return node.longValue();
    }

    /** An array of strings; empty when absent or null. */
    List<String> texts(String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw wrongType(field);
        }
        List<String> values = new ArrayList<>();
        for (JsonNode element : node) {
            if (!element.isTextual()) {
                throw wrongType(field);
            }
            values.add(element.textValue());
        }
        return values;
    }

    static ChatException missing(String field) {
        return new ChatException(ErrorCode.INVALID, "missing field '" + field + "'");
    }

    static ChatException wrongType(String field) {
        return new ChatException(ErrorCode.INVALID, "field '" + field + "' has the wrong type");
    }
}
