package dev.chatwire.jakarta;

import dev.chatwire.core.ChatEngine;
import dev.chatwire.core.ChatException;
import dev.chatwire.core.ChatLimits;
import dev.chatwire.core.ErrorCode;
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
import java.util.List;
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
 * failed; retry), 500 {@code internal}. An error answered before a large body was read closes the connection
 * ({@code Connection: close}), so that the container does not read the rest of it to keep the connection alive.
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
    private final transient JsonResponses responses;
    /** Asked in turn; each knows its own paths. */
    private final transient List<Routes> routes;

    /** Creates the servlet for an engine. */
    public ChatServlet(ChatEngine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.responses = new JsonResponses(engine.codec().mapper());
        ChatLimits limits = engine.limits();
        // Room for the longest text even if every character were JSON-escaped as \\uXXXX, plus the other fields.
        long maxJsonBytes = limits.maxTextChars() * 6L + 16 * 1024;
        RestRates rates = new RestRates(limits, engine.clock());
        this.routes = List.of(
                new MessageRoutes(engine, responses, rates, maxJsonBytes, maxMultipartBytes(limits),
                        maxPartCount(limits)),
                new MessageChangeRoutes(engine, responses, rates, maxJsonBytes),
                new ChatRoutes(engine, responses, rates, maxJsonBytes),
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
            responses.writeError(response, HttpErrors.status(e.code()), e.code(), e.getMessage(), tokenGiven);
        } catch (ApiPath.MethodNotAllowed e) {
            response.setHeader("Allow", e.allow);
            responses.writeError(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, ErrorCode.INVALID,
                    request.getMethod() + " is not allowed here", tokenGiven);
        } catch (RuntimeException e) {
            log.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
            responses.writeError(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, ErrorCode.INTERNAL,
                    "internal error", tokenGiven);
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
        ApiPath path = ApiPath.of(request);
        for (Routes group : routes) {
            if (group.serve(user, path, request, response)) {
                return;
            }
        }
        throw new ChatException(ErrorCode.NOT_FOUND, "no such endpoint");
    }
}
