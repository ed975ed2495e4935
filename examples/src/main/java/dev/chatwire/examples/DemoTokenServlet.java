package dev.chatwire.examples;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
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
 * this servlet: Chatwire only verifies tokens, it does not issue them.
 */
final class DemoTokenServlet extends HttpServlet {

    private static final Logger log = LoggerFactory.getLogger(DemoTokenServlet.class);
    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9._-]{1,40}");
    private static final Duration LIFETIME = Duration.ofHours(12);
    private static final int MAX_BODY_BYTES = 1024;

    private final transient Algorithm algorithm;
    private final transient ObjectMapper mapper;

    DemoTokenServlet(byte[] secret, ObjectMapper mapper) {
        this.algorithm = Algorithm.HMAC256(secret);
        this.mapper = mapper;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // A form post from another site's page cannot send this type without a CORS preflight, which is never answered.
        if (!isJson(request.getContentType())) {
            // Read, so that the connection stays usable for the client's next request (the body is small or cut off).
            try (InputStream body = request.getInputStream()) {
                body.readNBytes(MAX_BODY_BYTES);
            } catch (IOException | IllegalStateException e) {
                response.setHeader("Connection", "close");
            }
            write(response, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE, Map.of("error", Map.of(
                    "code", "unsupported_media_type", "message", "send Content-Type: application/json")));
            return;
        }
        String userId;
        try (InputStream body = request.getInputStream()) {
            JsonNode json = mapper.readTree(body.readNBytes(MAX_BODY_BYTES));
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
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", token);
        body.put("userId", userId);
        body.put("expiresAt", expiresAt.toString());
        write(response, HttpServletResponse.SC_OK, body);
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
