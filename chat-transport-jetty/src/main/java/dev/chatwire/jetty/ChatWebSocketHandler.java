package dev.chatwire.jetty;

import dev.chatwire.core.ChatEngine;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.ExtensionConfig;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Chatwire's WebSocket endpoint as a Jetty 12 handler, on Jetty's core WebSocket API rather than Jakarta WebSocket:
 * it upgrades requests for its path and passes every other request to the handler it wraps.
 *
 * <pre>{@code
 * ChatWebSocketHandler sockets = ChatWebSocketHandler.builder(engine)
 *         .allowedOrigins("https://chat.example.com")
 *         .build(server);
 * sockets.setHandler(servletContext);   // the rest of the application, e.g. ChatServlet at /api/*
 * server.setHandler(sockets);
 * ...
 * engine.close();                       // closes every socket with 1001
 * server.stop();                        // stops the handler and its timer
 * }</pre>
 *
 * <p>It keeps the rules, settings and close codes of {@code dev.chatwire.jakarta.ChatEndpointConfig}, so a host can
 * switch between the two transports without its clients noticing. At the handshake: a browser whose {@code Origin} is
 * not exactly one of {@link Builder#allowedOrigins} is refused with HTTP 403, and a request without {@code Origin} (a
 * non-browser client) goes on to token authentication; an {@code Authorization: Bearer} token authenticates the socket
 * as soon as it opens, otherwise the client's first frame must be {@code connect}. No sub-protocol, and no extension
 * unless {@link Builder#permessageDeflate} is set.
 *
 * <p>On an open socket: text messages go to the engine; a binary frame closes the socket with 1003; a text message
 * longer than {@link Builder#maxMessageBytes} closes it with 1009; the server pings every {@link Builder#pingInterval}
 * while it is not sending, and closes with 1001 a socket from which nothing (not even a pong) arrived, and which took
 * no message from the server, for {@link Builder#idleTimeout}; a frame the client has not taken within
 * {@link Builder#sendTimeout} closes the socket with 4408, as a slow consumer. The engine's own close codes are listed
 * in {@link dev.chatwire.core.CloseCodes}.
 *
 * <p>What a socket costs on top of Jetty's and the engine's own objects: one object of this module and an entry in
 * one set, and no timer, map or buffer of its own; one timer thread per handler visits every socket a few times per
 * ping interval. Jetty's own knobs (buffer sizes, and the timeouts set here) stay reachable through
 * {@link #getConfiguration()}. Thread-safe once built.
 */
public final class ChatWebSocketHandler extends WebSocketUpgradeHandler {

    /** The path sockets are upgraded at unless another is set. */
    public static final String DEFAULT_PATH = "/ws";
    /** The query parameter read for a token when {@link Builder#tokenInQuery} is on. */
    public static final String TOKEN_QUERY_PARAMETER = "access_token";
    private static final String PERMESSAGE_DEFLATE = "permessage-deflate";
    private static final String BEARER = "Bearer ";

    private final ChatEngine engine;
    private final String path;
    private final Set<String> allowedOrigins;
    private final boolean tokenInQuery;
    private final boolean permessageDeflate;
    private final int maxMessageBytes;
    private final SocketSweep sweep;

    private ChatWebSocketHandler(Builder builder, Server server) {
        super(WebSocketServerComponents.ensureWebSocketComponents(server));
        this.engine = builder.engine;
        this.path = builder.path;
        this.allowedOrigins = Set.copyOf(builder.allowedOrigins);
        this.tokenInQuery = builder.tokenInQuery;
        this.permessageDeflate = builder.permessageDeflate;
        this.maxMessageBytes = builder.maxMessageBytes > 0 ? builder.maxMessageBytes
                : engine.limits().maxFrameChars();
        this.sweep = new SocketSweep(builder.idleTimeout, builder.pingInterval, builder.sendTimeout);
        // Jetty's idle timeout is a backstop: pings count as traffic for it, so the sweep is what closes a mute peer.
        getConfiguration().setIdleTimeout(builder.idleTimeout);
        // The sweep closes a stuck send with 4408 after the send timeout; Jetty then drops the connection if even that
        // close frame cannot get out.
        getConfiguration().setWriteTimeout(builder.sendTimeout.multipliedBy(2));
        getConfiguration().setMaxTextMessageSize(maxMessageBytes);
        addBean(sweep, true);
        addMapping(path, this::negotiate);
    }

    /** Starts configuring the socket handler of this engine. */
    public static Builder builder(ChatEngine engine) {
        return new Builder(engine);
    }

    /** The path sockets are upgraded at. */
    public String path() {
        return path;
    }

    /** The browser origins allowed to open sockets. */
    public Set<String> allowedOrigins() {
        return allowedOrigins;
    }

    /** How many sockets of this handler are open, authenticated or not. */
    public int openSockets() {
        return sweep.size();
    }

    ChatEngine engine() {
        return engine;
    }

    SocketSweep sweep() {
        return sweep;
    }

    /** Applies the handshake rules; returns the socket, or null after answering 403. */
    private FrameHandler negotiate(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin != null && !allowedOrigins.contains(origin)) {
            Response.writeError(request, response, callback, HttpStatus.FORBIDDEN_403, "origin not allowed");
            return null;
        }
        List<ExtensionConfig> extensions = permessageDeflate
                ? response.getExtensions().stream().filter(e -> PERMESSAGE_DEFLATE.equals(e.getName())).toList()
                : List.of();
        response.setExtensions(extensions);
        return new JettyConnection(this, handshakeToken(request));
    }

    /** The token of the first {@code Authorization: Bearer} header or, when allowed, of the query; else null. */
    private String handshakeToken(Request request) {
        for (String value : request.getHeaders().getValuesList(HttpHeader.AUTHORIZATION)) {
            if (value.regionMatches(true, 0, BEARER, 0, BEARER.length()) && !value.substring(BEARER.length()).isBlank()) {
                return value.substring(BEARER.length()).trim();
            }
        }
        if (tokenInQuery) {
            String token = Request.extractQueryParameters(request).getValue(TOKEN_QUERY_PARAMETER);
            if (token != null && !token.isBlank()) {
                return token;
            }
        }
        return null;
    }

    /**
     * Configures a {@link ChatWebSocketHandler}, with the vocabulary and defaults of the Jakarta transport's
     * {@code ChatEndpointConfig.Builder}. Not thread-safe; build once.
     */
    public static final class Builder {
        private final ChatEngine engine;
        private String path = DEFAULT_PATH;
        private final Set<String> allowedOrigins = new LinkedHashSet<>();
        private boolean tokenInQuery;
        private boolean permessageDeflate;
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration pingInterval = Duration.ofSeconds(25);
        private Duration sendTimeout = Duration.ofSeconds(10);
        private int maxMessageBytes;

        private Builder(ChatEngine engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
        }

        /** The path to upgrade at, relative to the context the handler sits in; {@value #DEFAULT_PATH} unless set. */
        public Builder path(String path) {
            if (!Objects.requireNonNull(path, "path").startsWith("/")) {
                throw new IllegalArgumentException("the path must start with '/': " + path);
            }
            this.path = path;
            return this;
        }

        /**
         * Browser origins allowed to open sockets, compared exactly with the {@code Origin} header, e.g.
         * {@code https://chat.example.com} or {@code http://localhost:8080}. None unless set: then only clients that
         * send no {@code Origin} (non-browser clients) can connect. Adds to the origins already given.
         */
        public Builder allowedOrigins(java.util.Collection<String> origins) {
            for (String origin : origins) {
                allowedOrigins.add(requireOrigin(origin));
            }
            return this;
        }

        /** See {@link #allowedOrigins(java.util.Collection)}. */
        public Builder allowedOrigins(String... origins) {
            return allowedOrigins(Arrays.asList(origins));
        }

        private static String requireOrigin(String origin) {
            HttpURI uri;
            try {
                uri = HttpURI.from(Objects.requireNonNull(origin, "origin"));
            } catch (IllegalArgumentException e) {
                uri = null;
            }
            boolean bare = uri != null && uri.getScheme() != null && uri.getHost() != null && !uri.getHost().isEmpty()
                    && (uri.getPath() == null || uri.getPath().isEmpty()) && uri.getQuery() == null
                    && uri.getFragment() == null && uri.getUser() == null;
            if (!bare) {
                throw new IllegalArgumentException(
                        "an origin is scheme://host[:port] with no path or trailing slash: " + origin);
            }
            return origin;
        }

        /**
         * Whether a token may come in the {@value #TOKEN_QUERY_PARAMETER} query parameter of the handshake, for
         * clients that can set neither a header nor send a {@code connect} frame. Off by default: URLs end up in
         * access logs and proxies' logs.
         */
        public Builder tokenInQuery(boolean enabled) {
            this.tokenInQuery = enabled;
            return this;
        }

        /**
         * Whether to negotiate permessage-deflate when the client offers it; off by default, and costly: every socket
         * then holds a deflater and an inflater.
         */
        public Builder permessageDeflate(boolean enabled) {
            this.permessageDeflate = enabled;
            return this;
        }

        /**
         * How long a socket may go without a sign of life (a frame or pong from it, or a message it took) before it
         * is closed with 1001; 60 s unless set. Must be longer than the ping interval.
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = requirePositive(timeout, "idleTimeout");
            return this;
        }

        /** How often the server pings a socket that is not busy sending; 25 s unless set. */
        public Builder pingInterval(Duration interval) {
            this.pingInterval = requirePositive(interval, "pingInterval");
            return this;
        }

        /** How long one outbound frame may take to reach the client before the socket is closed with 4408; 10 s. */
        public Builder sendTimeout(Duration timeout) {
            this.sendTimeout = requirePositive(timeout, "sendTimeout");
            return this;
        }

        /**
         * The longest text message a client may send, in UTF-8 bytes; longer ones close the socket with 1009. The
         * engine's {@link dev.chatwire.core.ChatLimits#maxFrameChars()} unless set (a bound in bytes is at least as
         * strict as the same bound in characters); the engine closes a longer frame with 1009 whatever this says.
         */
        public Builder maxMessageBytes(int bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxMessageBytes must be positive");
            }
            this.maxMessageBytes = bytes;
            return this;
        }

        private static Duration requirePositive(Duration value, String name) {
            if (Objects.requireNonNull(value, name).isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return value;
        }

        /**
         * Builds the handler for this server, whose buffer pool and executor its sockets share. Set the handler it
         * wraps with {@link #setHandler}; its timer starts and stops with it.
         */
        public ChatWebSocketHandler build(Server server) {
            Objects.requireNonNull(server, "server");
            if (idleTimeout.compareTo(pingInterval) <= 0) {
                throw new IllegalArgumentException("idleTimeout must be longer than pingInterval");
            }
            return new ChatWebSocketHandler(this, server);
        }
    }
}
