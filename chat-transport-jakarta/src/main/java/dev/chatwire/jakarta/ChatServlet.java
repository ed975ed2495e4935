package dev.chatwire.jakarta;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chatwire.core.ChatEngine;
import dev.chatwire.core.ChatException;
import dev.chatwire.core.ChatLimits;
import dev.chatwire.core.ErrorCode;
import dev.chatwire.core.HistoryQuery;
import dev.chatwire.core.MediaDownload;
import dev.chatwire.core.MediaInfo;
import dev.chatwire.core.Message;
import dev.chatwire.core.Principal;
import dev.chatwire.core.RateLimitedException;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Chatwire's REST API as a servlet, for any Servlet 5+ container. Map it at {@code /api/*} (attachment URLs in
 * messages are {@code /api/media/{id}}) and give its registration {@link #multipartConfig(ChatLimits)} so that it
 * can take uploads:
 *
 * <pre>{@code
 * // Jetty 12 (ee10)
 * ServletHolder api = new ServletHolder("chatwire-api", new ChatServlet(engine));
 * api.getRegistration().setMultipartConfig(ChatServlet.multipartConfig(engine.limits()));
 * context.addServlet(api, "/api/*");
 *
 * // Tomcat 10.1 embedded
 * Wrapper api = Tomcat.addServlet(context, "chatwire-api", new ChatServlet(engine));
 * api.setMultipartConfigElement(ChatServlet.multipartConfig(engine.limits()));
 * context.addServletMapping("/api/*", "chatwire-api");
 *
 * // Any container, from a ServletContainerInitializer or ServletContextListener
 * ServletRegistration.Dynamic api = servletContext.addServlet("chatwire-api", new ChatServlet(engine));
 * api.setMultipartConfig(ChatServlet.multipartConfig(engine.limits()));
 * api.addMapping("/api/*");
 * }</pre>
 *
 * <p>Every request needs {@code Authorization: Bearer <token>}. Routes (request and response bodies are JSON):
 * <ul>
 * <li>{@code POST /messages} {@code {chatId, text, clientMessageId}}: 201 {@code {"messages":[...]}}; a multipart
 * body here is 415: files go to the chat's own route, below</li>
 * <li>{@code POST /chats/{id}/messages} {@code multipart/form-data} with the fields {@code text},
 * {@code clientMessageId} and up to {@link ChatLimits#maxAttachments()} file parts, or JSON
 * {@code {text, clientMessageId}}: 201 {@code {"messages":[...]}} (the text first, then one message per file, its
 * type sniffed from the bytes). The token, the membership and the rate are checked before any of the body is read,
 * so a refused upload costs the server its headers only.</li>
 * <li>{@code POST /chats} {@code {participants, name}}: 201 {@code {"chat":{...}}}</li>
 * <li>{@code GET /chats}: {@code {"chats":[...]}}</li>
 * <li>{@code GET /chats/{id}/messages?after=&before=&limit=}: {@code {"messages":[...]}}, oldest first</li>
 * <li>{@code POST /chats/{id}/read} {@code {seq}}: 204</li>
 * <li>{@code POST /chats/{id}/participants} {@code {userId}}: {@code {"chat":{...}}}</li>
 * <li>{@code DELETE /chats/{id}/participants/{userId}}: {@code {"chat":{...}}}</li>
 * <li>{@code PUT} and {@code DELETE /chats/{id}/admins/{userId}}: {@code {"chat":{...}}}, for the chat's owner</li>
 * <li>{@code GET /media/{id}}: the bytes, for participants of the chat they were sent to</li>
 * <li>{@code GET /presence?users=a,b}: {@code {"presence":{"a":true,"b":false}}}</li>
 * </ul>
 *
 * <p>Errors are {@code {"error":{"code":"...","message":"..."}}}, the code being an {@link ErrorCode} wire name:
 * 400 {@code invalid} (malformed JSON, a missing or wrong field or parameter), 401 {@code unauthorized} (no token, or
 * a refused one), 403 {@code forbidden} (not a participant, whether or not the chat exists, or not the owner or an admin where
 * that is needed), 404 {@code not_found}
 * (no such route or media, or media of another chat), 405 {@code invalid} (a known route with another method), 413
 * {@code too_large} (a body, file, text or participant list over its limit, refused before anything is stored), 415
 * {@code unsupported_media_type} (a body that is neither JSON nor multipart where one is needed, or a file whose
 * sniffed type is not accepted, such as SVG), 429 {@code rate_limited} (with {@code Retry-After} in seconds: a user's
 * sends, chat creations or uploads over {@link ChatLimits#restSendRate()}, {@link ChatLimits#chatCreationRate()} or
 * {@link ChatLimits#uploadRate()}), 503 {@code unavailable} (a backing store failed; retry), 500 {@code internal}.
 * An error answered before a large body was read closes the connection ({@code Connection: close}), so that the
 * container does not read the rest of it to keep the connection alive.
 *
 * <p>Thread-safe; requests block on the engine's stores.
 */
public class ChatServlet extends HttpServlet {

    private static final Logger log = LoggerFactory.getLogger(ChatServlet.class);
    /** Room in a multipart body for the text fields and part headers, on top of the files. */
    private static final long MULTIPART_FIELDS_BYTES = 256 * 1024;
    /**
     * Parts up to this size stay in memory while the request is parsed; larger ones go to a temporary file. Small, so
     * that a body of many parts cannot fill the heap: the part count times this is what parsing may hold.
     */
    private static final int MULTIPART_MEMORY_THRESHOLD = 16 * 1024;
    /** Parts allowed besides the files: the text fields, and a few unknown ones that clients may add. */
    private static final int MULTIPART_FIELD_PARTS = 8;
    /** An error to a request declaring a body over this many bytes closes the connection instead of reading it all. */
    private static final long KEEP_ALIVE_BODY_BYTES = 64 * 1024;
    private static final String BEARER = "Bearer ";

    private final transient ChatEngine engine;
    private final transient ObjectMapper mapper;
    private final long maxJsonBytes;
    private final long maxMultipartBytes;
    private final int maxParts;
    private final transient RestRates rates;

    /** Creates the servlet for an engine. */
    public ChatServlet(ChatEngine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.mapper = engine.codec().mapper();
        ChatLimits limits = engine.limits();
        // Room for the longest text even if every character were JSON-escaped as \\uXXXX, plus the other fields.
        this.maxJsonBytes = limits.maxTextChars() * 6L + 16 * 1024;
        this.maxMultipartBytes = maxMultipartBytes(limits);
        this.maxParts = maxPartCount(limits);
        this.rates = new RestRates(limits, engine.clock());
    }

    /**
     * The multipart settings to register this servlet with: files up to {@link ChatLimits#maxUploadBytes()}, bodies
     * up to that many times {@link ChatLimits#maxAttachments()} plus room for the text fields, large files buffered in
     * the container's temporary directory. The container then stops reading an oversized upload early.
     */
    public static MultipartConfigElement multipartConfig(ChatLimits limits) {
        return new MultipartConfigElement("", limits.maxUploadBytes(), maxMultipartBytes(limits),
                MULTIPART_MEMORY_THRESHOLD);
    }

    /**
     * The most parts a multipart send may have: {@link ChatLimits#maxAttachments()} files and a few text fields. The
     * servlet refuses more with 413; give the container the same limit so that it stops parsing there (Jetty:
     * {@code ServletContextHandler.setMaxFormKeys}; Tomcat: {@code Connector.setMaxPartCount}).
     */
    public static int maxPartCount(ChatLimits limits) {
        return limits.maxAttachments() + MULTIPART_FIELD_PARTS;
    }

    private static long maxMultipartBytes(ChatLimits limits) {
        return limits.maxUploadBytes() * limits.maxAttachments() + MULTIPART_FIELDS_BYTES;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        boolean tokenGiven = request.getHeader("Authorization") != null;
        try {
            Principal user = engine.authenticate(bearerToken(request));
            route(user, request, response);
        } catch (ChatException e) {
            if (e.code() == ErrorCode.INTERNAL || e.code() == ErrorCode.UNAVAILABLE) {
                log.warn("{} {} failed: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
            }
            finishBody(request, response);
            if (e instanceof RateLimitedException limited) {
                response.setHeader("Retry-After", Long.toString(retryAfterSeconds(limited)));
            }
            writeError(response, HttpErrors.status(e.code()), e.code(), e.getMessage(), tokenGiven);
        } catch (MethodNotAllowed e) {
            response.setHeader("Allow", e.allow);
            writeError(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, ErrorCode.INVALID,
                    request.getMethod() + " is not allowed here", tokenGiven);
        } catch (RuntimeException e) {
            log.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
            writeError(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, ErrorCode.INTERNAL, "internal error",
                    tokenGiven);
        }
    }

    /**
     * After an error, reads what is left of a small body, so that the client, which may still be sending it, gets the
     * answer on a connection that stays usable; a large body (or a chunked one that goes on past the same bound) is
     * not read, and the container is asked to close the connection instead: keeping it alive would mean reading
     * (Tomcat: up to 2 MB) or waiting for the rest of it.
     */
    private static void finishBody(HttpServletRequest request, HttpServletResponse response) {
        if (request.getContentLengthLong() > KEEP_ALIVE_BODY_BYTES || !drained(request)) {
            response.setHeader("Connection", "close");
        }
    }

    /** Whether the request's body ended within {@link #KEEP_ALIVE_BODY_BYTES} more bytes, read here. */
    private static boolean drained(HttpServletRequest request) {
        try {
            InputStream body = request.getInputStream();
            byte[] buffer = new byte[8192];
            long read = 0;
            int n;
            while ((n = body.read(buffer)) >= 0) {
                read += n;
                if (read > KEEP_ALIVE_BODY_BYTES) {
                    return false;
                }
            }
            return true;
        } catch (IOException | IllegalStateException e) {
            // Read already (a parsed multipart, a reader), or the client went away: nothing to keep alive for.
            return false;
        }
    }

    /** Whole seconds, rounded up: a client that waits that long finds the request allowed. */
    private static long retryAfterSeconds(RateLimitedException limited) {
        long millis = limited.retryAfter().toMillis();
        return Math.max(1, (millis + 999) / 1000);
    }

    private static String bearerToken(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || header.length() <= BEARER.length()
                || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new ChatException(ErrorCode.UNAUTHORIZED, "send Authorization: Bearer <token>");
        }
        return header.substring(BEARER.length()).trim();
    }

    private void route(Principal user, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String[] path = segments(request.getPathInfo());
        String method = request.getMethod();
        if (path.length == 1 && path[0].equals("messages")) {
            allow(method, "POST");
            postMessages(user, request, response);
        } else if (path.length == 1 && path[0].equals("chats")) {
            allow(method, "GET", "POST");
            if (method.equals("GET")) {
                writeJson(response, HttpServletResponse.SC_OK, Map.of("chats", engine.chats(user)));
            } else {
                rates.chatCreations.acquire(user.userId());
                JsonBody body = JsonBody.read(request, mapper, maxJsonBytes);
                writeJson(response, HttpServletResponse.SC_CREATED, Map.of("chat",
                        engine.createChat(user, body.texts("participants"), body.text("name"))));
            }
        } else if (path.length == 3 && path[0].equals("chats") && path[2].equals("messages")) {
            allow(method, "GET", "POST");
            if (method.equals("GET")) {
                List<Message> page = engine.history(user, path[1], historyQuery(request));
                writeJson(response, HttpServletResponse.SC_OK, Map.of("messages", page));
            } else {
                postToChat(user, path[1], request, response);
            }
        } else if (path.length == 3 && path[0].equals("chats") && path[2].equals("read")) {
            allow(method, "POST");
            engine.markRead(user, path[1], JsonBody.read(request, mapper, maxJsonBytes).requiredLong("seq"));
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
        } else if (path.length == 3 && path[0].equals("chats") && path[2].equals("participants")) {
            allow(method, "POST");
            String added = JsonBody.read(request, mapper, maxJsonBytes).requiredText("userId");
            writeJson(response, HttpServletResponse.SC_OK, Map.of("chat", engine.addParticipant(user, path[1], added)));
        } else if (path.length == 4 && path[0].equals("chats") && path[2].equals("participants")) {
            allow(method, "DELETE");
            writeJson(response, HttpServletResponse.SC_OK,
                    Map.of("chat", engine.removeParticipant(user, path[1], path[3])));
        } else if (path.length == 4 && path[0].equals("chats") && path[2].equals("admins")) {
            allow(method, "PUT", "DELETE");
            writeJson(response, HttpServletResponse.SC_OK,
                    Map.of("chat", engine.setAdmin(user, path[1], path[3], method.equals("PUT"))));
        } else if (path.length == 2 && path[0].equals("media")) {
            allow(method, "GET");
            writeMedia(response, engine.openMedia(user, path[1]));
        } else if (path.length == 1 && path[0].equals("presence")) {
            allow(method, "GET");
            writeJson(response, HttpServletResponse.SC_OK, Map.of("presence", engine.presence(user, users(request))));
        } else {
            throw new ChatException(ErrorCode.NOT_FOUND, "no such endpoint");
        }
    }

    private void postMessages(Principal user, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String type = JsonBody.mediaType(request.getContentType());
        if (type.equals("multipart/form-data")) {
            // Its chat id would be in the body, which the container parses whole before the membership is known.
            throw new ChatException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "files go to POST /api/chats/{chatId}/messages; this route takes application/json");
        }
        rates.sends.acquire(user.userId());
        JsonBody body = JsonBody.read(request, mapper, maxJsonBytes);
        sendText(user, body.requiredText("chatId"), body, response);
    }

    /** A send to the chat in the path: refused on the token, the membership or the rate before the body is read. */
    private void postToChat(Principal user, String chatId, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String type = JsonBody.mediaType(request.getContentType());
        boolean multipart = type.equals("multipart/form-data");
        if (!multipart && !JsonBody.isJson(type)) {
            throw new ChatException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "send application/json or multipart/form-data");
        }
        (multipart ? rates.uploads : rates.sends).acquire(user.userId());
        engine.chat(user, chatId);
        if (!multipart) {
            sendText(user, chatId, JsonBody.read(request, mapper, maxJsonBytes), response);
            return;
        }
        List<Message> sent;
        try (MultipartSend form = MultipartSend.read(request, maxMultipartBytes, maxParts, maxJsonBytes)) {
            if (form.chatId != null && !form.chatId.equals(chatId)) {
                throw new ChatException(ErrorCode.INVALID, "the body's chatId is not the path's");
            }
            sent = engine.send(user, chatId, form.text, form.clientMessageId, form.uploads);
        }
        writeJson(response, HttpServletResponse.SC_CREATED, Map.of("messages", sent));
    }

    private void sendText(Principal user, String chatId, JsonBody body, HttpServletResponse response)
            throws IOException {
        // The engine serialized the message for the room already: the answer reuses that text.
        List<String> sent = new ArrayList<>(1);
        engine.send(user, chatId, body.requiredText("text"), body.text("clientMessageId"), sent::add);
        writeJson(response, HttpServletResponse.SC_CREATED,
                engine.codec().messagesBody(sent).getBytes(StandardCharsets.UTF_8));
    }

    private static void writeMedia(HttpServletResponse response, MediaDownload download) throws IOException {
        MediaInfo info = download.info();
        try (InputStream content = download.content()) {
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType(info.mimeType());
            response.setContentLengthLong(info.size());
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setHeader("Content-Disposition", MediaHeaders.contentDisposition(info.name(), info.mimeType()));
            response.setHeader("Content-Security-Policy", "default-src 'none'; sandbox");
            response.setHeader("Cache-Control", "private, max-age=3600");
            content.transferTo(response.getOutputStream());
        }
    }

    private static List<String> users(HttpServletRequest request) {
        String users = request.getParameter("users");
        List<String> ids = users == null ? List.of() : Arrays.stream(users.split(","))
                .map(String::trim).filter(id -> !id.isEmpty()).distinct().toList();
        if (ids.isEmpty()) {
            throw new ChatException(ErrorCode.INVALID, "missing query parameter 'users'");
        }
        return ids;
    }

    /** {@code ?after=} when given, else {@code ?before=}, else the newest page; {@code ?limit=} on any of them. */
    private static HistoryQuery historyQuery(HttpServletRequest request) {
        Long after = longParameter(request, "after");
        Long before = longParameter(request, "before");
        HistoryQuery query = after != null ? HistoryQuery.after(after)
                : before != null ? HistoryQuery.before(before) : HistoryQuery.newest();
        Integer limit = intParameter(request, "limit");
        return limit == null ? query : query.limit(limit);
    }

    private static Long longParameter(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ChatException(ErrorCode.INVALID, "query parameter '" + name + "' must be an integer");
        }
    }

    private static Integer intParameter(HttpServletRequest request, String name) {
        Long value = longParameter(request, name);
        if (value == null) {
            return null;
        }
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new ChatException(ErrorCode.INVALID, "query parameter '" + name + "' is out of range");
        }
        return value.intValue();
    }

    private static String[] segments(String pathInfo) {
        if (pathInfo == null) {
            return new String[0];
        }
        List<String> segments = new ArrayList<>(4);
        for (String segment : pathInfo.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(segment);
            }
        }
        return segments.toArray(String[]::new);
    }

    private static void allow(String method, String... allowed) {
        for (String candidate : allowed) {
            if (candidate.equals(method)) {
                return;
            }
        }
        throw new MethodNotAllowed(String.join(", ", allowed));
    }

    private void writeJson(HttpServletResponse response, int status, Object body) throws IOException {
        writeJson(response, status, mapper.writeValueAsBytes(body));
    }

    private static void writeJson(HttpServletResponse response, int status, byte[] bytes) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    private void writeError(HttpServletResponse response, int status, ErrorCode code, String message,
                            boolean tokenGiven) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        HttpErrors.addAdvice(response, code, tokenGiven);
        Map<String, String> error = new LinkedHashMap<>();
        error.put("code", code.wireName());
        error.put("message", message);
        writeJson(response, status, Map.of("error", error));
    }

    /** A known route asked for with a method it does not take. */
    private static final class MethodNotAllowed extends RuntimeException {
        final String allow;

        MethodNotAllowed(String allow) {
            super(null, null, false, false);
            this.allow = allow;
        }
    }
}
