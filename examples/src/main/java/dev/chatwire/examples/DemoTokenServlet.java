package dev.chatwire.examples;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * DEMO ONLY: signs anyone in as any user they name. {@code POST /demo/token {"userId":"alice"}} answers
 * {@code {"token":"<HS256 JWT>","userId":"alice","expiresAt":"..."}}, a token signed with the server's own secret
 * whose {@code sub} is the user id. A real application gets its tokens from its identity provider and never mounts
 * this servlet: Chatwire only verifies tokens, it does not issue them. Register it with {@code asyncSupported}: it
 * reads its body with the Servlet API's {@link ReadListener}.
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
        AsyncContext async = request.startAsync();
        async.setTimeout(BODY_TIMEOUT.toMillis());
        ServletInputStream in = request.getInputStream();
        BodyRead read = new BodyRead(async, in, request, response);
        async.addListener(read);
        in.setReadListener(read);
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

    /**
     * One body's read: gathered as it comes, then answered exactly once, by whichever of the read's end, its
     * overflow, the container's timeout or a failed connection comes first.
     */
    private final class BodyRead implements ReadListener, AsyncListener {

        private final AsyncContext async;
        private final ServletInputStream in;
        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final byte[] buffer = new byte[MAX_BODY_BYTES + 1];
        private final AtomicBoolean answered = new AtomicBoolean();

        BodyRead(AsyncContext async, ServletInputStream in, HttpServletRequest request,
                 HttpServletResponse response) {
            this.async = async;
            this.in = in;
            this.request = request;
            this.response = response;
        }

        @Override
        public void onDataAvailable() throws IOException {
            while (!answered.get() && in.isReady()) {
                int n = in.read(buffer);
                if (n < 0) {
                    return;
                }
                body.write(buffer, 0, n);
                if (body.size() > MAX_BODY_BYTES && answered.compareAndSet(false, true)) {
                    finish(() -> refuse(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "too_large",
                            "the body is larger than " + MAX_BODY_BYTES + " bytes"));
                }
            }
        }

        @Override
        public void onAllDataRead() throws IOException {
            if (answered.compareAndSet(false, true)) {
                finish(() -> answer(request, response, body.toByteArray()));
            }
        }

        @Override
        public void onTimeout(AsyncEvent event) throws IOException {
            if (answered.compareAndSet(false, true)) {
                finish(() -> refuse(response, HttpServletResponse.SC_REQUEST_TIMEOUT, "invalid",
                        "the body did not arrive within " + BODY_TIMEOUT.toSeconds() + " s"));
            }
        }

        @Override
        public void onError(Throwable failure) {
            clientGone();
        }

        @Override
        public void onError(AsyncEvent event) {
            clientGone();
        }

        /** The client went away: there is no one to answer. */
        private void clientGone() {
            if (answered.compareAndSet(false, true)) {
                try {
                    async.complete();
                } catch (IllegalStateException e) {
                    // The container ended the request already.
                }
            }
        }

        @Override
        public void onComplete(AsyncEvent event) {
            // Nothing to release: the body is garbage once this read is.
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // The read starts the request's only asynchronous cycle.
        }

        private void finish(Answer answer) throws IOException {
            try {
                answer.write();
            } finally {
                try {
                    async.complete();
                } catch (IllegalStateException e) {
                    // The container ended the request already, after a failed connection.
                }
            }
        }
    }

    /** Writes an answer. */
    @FunctionalInterface
    private interface Answer {
        void write() throws IOException;
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
