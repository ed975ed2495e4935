package dev.chatwire.examples;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chatwire.jakarta.AsyncBodyReader;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * DEMO ONLY: signs anyone in as any user they name. {@code POST /demo/token {"userId":"alice"}} answers
 * {@code {"token":"<HS256 JWT>","userId":"alice","expiresAt":"..."}}, a token signed with the server's own secret
 * whose {@code sub} is the user id. A real application gets its tokens from its identity provider and never mounts
 * this servlet: Chatwire only verifies tokens, it does not issue them. Register it with {@code asyncSupported}: it
 * reads its body with chat-transport-jakarta's {@link AsyncBodyReader}.
 */
final class DemoTokenServlet extends HttpServlet {

    private static final Logger log = LoggerFactory.getLogger(DemoTokenServlet.class);
    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9._-]{1,40}");
    private static final Duration LIFETIME = Duration.ofHours(12);
    private static final int MAX_BODY_BYTES = 1024;
    /** How long the whole body may take to arrive: a sign-in body is a few dozen bytes. */
    private static final Duration BODY_TIMEOUT = Duration.ofSeconds(10);

    private final transient Algorithm algorithm;
    private final transient ObjectMapper mapper;
    private final transient AsyncBodyReader bodies = AsyncBodyReader.create(BODY_TIMEOUT);

    DemoTokenServlet(byte[] secret, ObjectMapper mapper) {
        this.algorithm = Algorithm.HMAC256(secret);
        this.mapper = mapper;
    }

    /**
     * Reads the body without holding a thread while it arrives, and answers once it is all there: a client trickling
     * it costs a connection, not one of the container's threads. One that has not sent it all within
     * {@link #BODY_TIMEOUT} is answered 408 and its connection closed.
     */
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        bodies.read(request, MAX_BODY_BYTES, true, (ending, body) -> {
            switch (ending) {
                case COMPLETE -> answer(request, response, body);
                case TOO_LONG -> refuse(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "too_large",
                        "the body is larger than " + MAX_BODY_BYTES + " bytes");
                case TIMED_OUT -> refuse(response, HttpServletResponse.SC_REQUEST_TIMEOUT, "invalid",
                        "the body did not arrive within " + BODY_TIMEOUT.toSeconds() + " s");
                case BROKEN -> {
                    // The client went away: there is no one to answer.
                }
            }
        });
    }

    /** Stops the body deadlines' thread; the container ends the requests still open. */
    @Override
    public void destroy() {
        bodies.close();
        super.destroy();
    }

    /** Answers a whole body: a token for a plain user name in a JSON body, else the error. */
    private void answer(HttpServletRequest request, HttpServletResponse response, byte[] body) throws IOException {
        // A form post from another site's page cannot send this type without a CORS preflight, which is never answered.
        if (!isJson(request.getContentType())) {
            write(response, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE, Map.of("error", Map.of(
                    "code", "unsupported_media_type", "message", "send Content-Type: application/json")));
            return;
        }
        String userId;
        try {
            JsonNode json = mapper.readTree(body);
            userId = json == null ? null : json.path("userId").asText(null);
        } catch (IOException e) {
            userId = null;
        }
        if (userId == null || !USER_ID.matcher(userId).matches()) {
            write(response, HttpServletResponse.SC_BAD_REQUEST, Map.of("error", Map.of("code", "invalid",
                    "message", "userId must be 1-40 letters, digits, '.', '_' or '-'")));
            return;
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = now.plus(LIFETIME);
        String token = JWT.create().withSubject(userId).withIssuedAt(now).withExpiresAt(expiresAt).sign(algorithm);
        log.info("demo sign-in as '{}'", userId);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("token", token);
        answer.put("userId", userId);
        answer.put("expiresAt", expiresAt.toString());
        write(response, HttpServletResponse.SC_OK, answer);
    }

    /** Refuses a body it did not read whole, and closes the connection rather than wait for the rest. */
    private void refuse(HttpServletResponse response, int status, String code, String message) throws IOException {
        response.setHeader("Connection", "close");
        write(response, status, Map.of("error", Map.of("code", code, "message", message)));
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return type.equalsIgnoreCase("application/json");
    }

    private void write(HttpServletResponse response, int status, Object body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getOutputStream().write(mapper.writeValueAsBytes(body));
    }
}
