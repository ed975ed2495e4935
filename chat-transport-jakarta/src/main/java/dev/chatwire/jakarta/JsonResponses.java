package dev.chatwire.jakarta;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chatwire.core.ErrorCode;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes the REST API's JSON answers and errors, each with the headers every answer carries. */
final class JsonResponses {

    private final ObjectMapper mapper;

    /** Writes with the engine's mapper, so that bodies read as the socket's frames do. */
    JsonResponses(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Answers {@code body} serialized. */
    void write(HttpServletResponse response, int status, Object body) throws IOException {
        write(response, status, mapper.writeValueAsBytes(body));
    }

    /** Answers JSON serialized already. */
    static void write(HttpServletResponse response, int status, byte[] json) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
    }

    /**
     * Answers {@code {"error":{"code","message"}}} in place of whatever was buffered, with the advice headers of the
     * code; does nothing once the response is committed, as nothing can replace it then.
     */
    void writeError(HttpServletResponse response, int status, ErrorCode code, String message, boolean tokenGiven)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        HttpErrors.addAdvice(response, code, tokenGiven);
        Map<String, String> error = new LinkedHashMap<>();
        error.put("code", code.wireName());
        error.put("message", message);
        write(response, status, Map.of("error", error));
    }
}
