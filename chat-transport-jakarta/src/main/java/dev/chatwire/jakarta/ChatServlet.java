package dev.chatwire.jakarta;

import dev.chatwire.core.ChatEngine;
import dev.chatwire.core.ChatException;
import dev.chatwire.core.ChatLimits;
import dev.chatwire.core.ErrorCode;
import dev.chatwire.core.Principal;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Chatwire's REST API as a servlet, for any Servlet 5+ container. Map it at {@code /api/*} (attachment URLs in
 * messages are {@code /api/media/{id}}), register it as supporting asynchronous requests, and give its registration
 * {@link #multipartConfig(ChatLimits)} so that it can take uploads:
 *
 * <pre>{@code
 * // Jetty 12 (ee10)
 * ServletHolder api = new ServletHolder("chatwire-api", new ChatServlet(engine));
 * api.setAsyncSupported(true);
 * api.getRegistration().setMultipartConfig(ChatServlet.multipartConfig(engine.limits()));
 * context.addServlet(api, "/api/*");
 *
 * // Tomcat 10.1 embedded
 * Wrapper api = Tomcat.addServlet(context, "chatwire-api", new ChatServlet(engine));
 * api.setAsyncSupported(true);
 * api.setMultipartConfigElement(ChatServlet.multipartConfig(engine.limits()));
 * context.addServletMapping("/api/*", "chatwire-api");
 *
 * // Any container, from a ServletContainerInitializer or ServletContextListener
 * ServletRegistration.Dynamic api = servletContext.addServlet("chatwire-api", new ChatServlet(engine));
 * api.setAsyncSupported(true);
 * api.setMultipartConfig(ChatServlet.multipartConfig(engine.limits()));
 * api.addMapping("/api/*");
 * }</pre>
 *
 * <p>JSON request bodies are read without holding a request thread while they arrive (the Servlet API's
 * {@link jakarta.servlet.ReadListener}), and a route's work runs once the whole body is there; a body that has not
 * all come within the servlet's body timeout ({@link #DEFAULT_BODY_TIMEOUT} unless given) is answered 408 and its
 * connection closed. So clients trickling bodies cost the server connections, not threads. Without
 * {@code asyncSupported} every body is read on the request's thread, as a plain servlet would, and only the container's
 * own read timeouts bound a slow one. Multipart uploads are parsed by the container, on the request's thread, after
 * the token, the membership and the rate were checked.
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
 * <li>{@code GET /chats?before=&limit=}: a page of the user's chats, newest activity first,
 * {@code {"chats":[...],"nextCursor":"..."}}: each entry is the chat's fields with {@code lastMessage} (absent when
 * none), {@code unread}, {@code lastRead}, {@code readBy} and {@code activityAt} beside them; {@code nextCursor},
 * absent on the last page, is the next page's {@code before}; {@code limit} defaults to
 * {@link ChatLimits#maxHistoryPage()}</li>
 * <li>{@code GET /chats/{id}/messages?after=&before=&limit=}: {@code {"messages":[...]}}, oldest first, each in its
 * current state</li>
 * <li>{@code PATCH /chats/{id}/messages/{messageId}} {@code {text}} (edit),
 * {@code DELETE /chats/{id}/messages/{messageId}}, and {@code PUT} and
 * {@code DELETE /chats/{id}/messages/{messageId}/reactions/{emoji}} (the emoji percent-encoded as UTF-8):
 * {@code {"message":{...},"seq":n}}, the message's new state and the change's seq; counted against
 * {@link ChatLimits#restSendRate()} with the sends</li>
 * <li>{@code POST /chats/{id}/read} {@code {seq}}: {@code {"chatId":"...","lastRead":n}}, the user's read seq as
 * stored (it never moves back, nor past the chat's newest seq)</li>
 * <li>{@code POST /chats/{id}/participants} {@code {userId}}: {@code {"chat":{...}}}</li>
 * <li>{@code DELETE /chats/{id}/participants/{userId}}: {@code {"chat":{...}}}</li>
 * <li>{@code PUT} and {@code DELETE /chats/{id}/admins/{userId}}: {@code {"chat":{...}}}, for the chat's owner</li>
 * <li>{@code GET /media/{id}}: the bytes, for participants of the chat they were sent to</li>
 * <li>{@code GET /presence?users=a,b}: {@code {"presence":{"a":true,"b":false}}}</li>
 * </ul>
 *
 * <p>Errors are {@code {"error":{"code":"...","message":"..."}}}, the code being an {@link ErrorCode} wire name:
 * 400 {@code invalid} (malformed JSON, a missing or wrong field or parameter, a bad cursor, an edit of a deleted
 * message, a reaction that is not one emoji), 401 {@code unauthorized} (no token, or a refused one), 403
 * {@code forbidden} (not a participant, whether or not the chat exists, not the owner or an admin where that is
 * needed, or a change the host's {@link dev.chatwire.core.spi.ChatPolicy} refuses, such as editing another's
 * message), 404 {@code not_found} (no such route, media or message, or media of another chat), 405 {@code invalid}
 * (a known route with another method), 413 {@code too_large} (a body, file, text or participant list over its limit,
 * or a message's reactions at their limit, refused before anything is stored), 415
 * {@code unsupported_media_type} (a body that is neither JSON nor multipart where one is needed, or a file whose
 * sniffed type is not accepted, such as SVG), 429 {@code rate_limited} (with {@code Retry-After} in seconds: a user's
 * sends and changes to messages, chat creations or uploads over {@link ChatLimits#restSendRate()},
 * {@link ChatLimits#chatCreationRate()} or {@link ChatLimits#uploadRate()}), 503 {@code unavailable} (a backing store
 * failed; retry), 500 {@code internal}, and 408 {@code invalid} for a JSON body that did not arrive within the body
 * timeout. An error answered before a large body was read closes the connection ({@code Connection: close}), so that
 * the container does not read the rest of it to keep the connection alive; the rest of a small one is read first,
 * without a thread, within the body timeout.
 *
 * <p>Thread-safe; a route's work blocks on the engine's stores, on a container thread. {@link #destroy()} stops the
 * one thread the servlet owns, which only watches the body deadlines.
 */
public class ChatServlet extends HttpServlet {

    /** How long a JSON body may take to arrive unless the host says otherwise: far more than any real client needs. */
    public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(10);
    /** Room in a multipart body for the text fields and part headers, on top of the files. */
    private static final long MULTIPART_FIELDS_BYTES = 256 * 1024;
    /**
     * Parts up to this size stay in memory while the request is parsed; larger ones go to a temporary file. Small, so
     * that a body of many parts cannot fill the heap: the part count times this is what parsing may hold.
     */
    private static final int MULTIPART_MEMORY_THRESHOLD = 16 * 1024;
    /** Parts allowed besides the files: the text fields, and a few unknown ones that clients may add. */
    private static final int MULTIPART_FIELD_PARTS = 8;
    private static final String BEARER = "Bearer ";

    private final transient ChatEngine engine;
    private final transient ErrorAnswers errors;
    /** Owns the one thread that checks every request's body deadline, never doing I/O. */
    private final transient AsyncBodyReader reader;
    /** Asked in turn; each knows its own paths. */
    private final transient List<Routes> routes;

    /** Creates the servlet for an engine, with JSON bodies given {@link #DEFAULT_BODY_TIMEOUT} to arrive. */
    public ChatServlet(ChatEngine engine) {
        this(engine, DEFAULT_BODY_TIMEOUT);
    }

    /**
     * Creates the servlet for an engine.
     *
     * @param bodyTimeout how long a JSON request body may take to arrive whole, from the start of its read, before
     *                    the request is answered 408 and its connection closed; also how long the rest of a small body
     *                    is waited for after an error, before the connection is closed instead
     */
    public ChatServlet(ChatEngine engine, Duration bodyTimeout) {
        this.engine = Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(bodyTimeout, "bodyTimeout");
        if (bodyTimeout.isNegative() || bodyTimeout.isZero()) {
            throw new IllegalArgumentException("bodyTimeout must be positive: " + bodyTimeout);
        }
        ChatLimits limits = engine.limits();
        JsonResponses responses = new JsonResponses(engine.codec().mapper());
        this.reader = AsyncBodyReader.create(bodyTimeout);
        this.errors = new ErrorAnswers(responses, reader);
        // Room for the longest text even if every character were JSON-escaped as \\uXXXX, plus the other fields.
        long maxJsonBytes = limits.maxTextChars() * 6L + 16 * 1024;
        JsonBodies bodies = new JsonBodies(engine.codec().mapper(), maxJsonBytes, reader, errors);
        RestRates rates = new RestRates(limits, engine.clock());
        this.routes = List.of(
                new MessageRoutes(engine, responses, rates, bodies, maxJsonBytes, maxMultipartBytes(limits),
                        maxPartCount(limits)),
                new MessageChangeRoutes(engine, responses, rates, bodies),
                new ChatRoutes(engine, responses, rates, bodies),
                new MediaRoutes(engine),
                new PresenceRoutes(engine, responses));
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

    /** Stops the body deadlines' thread; the container ends the requests still open. */
    @Override
    public void destroy() {
        reader.close();
        super.destroy();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        errors.answering(request, response, () -> route(engine.authenticate(bearerToken(request)), request, response));
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
        ApiPath path = ApiPath.of(request);
        for (Routes group : routes) {
            if (group.serve(user, path, request, response)) {
                return;
            }
        }
        throw new ChatException(ErrorCode.NOT_FOUND, "no such endpoint");
    }
}
