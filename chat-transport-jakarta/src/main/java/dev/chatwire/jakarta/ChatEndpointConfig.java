package dev.chatwire.jakarta;

import dev.chatwire.core.ChatEngine;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Chatwire's WebSocket endpoint, configured for one engine, ready to register on any Jakarta WebSocket container
 * (Jetty, Tomcat, Tyrus, ...).
 *
 * <pre>{@code
 * ChatEndpointConfig ws = ChatEndpointConfig.builder(engine)
 *         .allowedOrigins("https://chat.example.com")
 *         .build();
 * serverContainer.addEndpoint(ws.serverEndpointConfig());   // at ws.path(), "/ws" unless set
 * ...
 * engine.close();   // closes every socket with 1001
 * ws.close();       // then stops the endpoint's two small thread pools
 * }</pre>
 *
 * <p>What the endpoint does at the handshake: it refuses (HTTP 403) a browser whose {@code Origin} is not exactly one
 * of {@link Builder#allowedOrigins}, and lets a request without {@code Origin} (a non-browser client) through to token
 * authentication; it takes an {@code Authorization: Bearer} token from the request, if there is one, and
 * authenticates the socket with it as soon as it opens; otherwise the client's first frame must be {@code connect}.
 * It negotiates no sub-protocol and, unless {@link Builder#permessageDeflate} is set, no extension.
 *
 * <p>On an open socket: text frames go to the engine; binary frames close the socket with 1003; a text message longer
 * than {@link dev.chatwire.core.ChatLimits#maxFrameChars()} closes it with 1009 (Jetty counts that limit in UTF-8
 * bytes, Tomcat and the engine in characters, so the stricter count applies); the server pings every
 * {@link Builder#pingInterval} and closes with 1001 a socket from which nothing (not even a pong) arrived for
 * {@link Builder#idleTimeout}; a frame the client has not taken within {@link Builder#sendTimeout} closes the socket
 * with 4408, as a slow consumer. The engine's own close codes are listed in {@link dev.chatwire.core.CloseCodes}.
 *
 * <p>Immutable and thread-safe. It owns a timer thread and a few threads for the container calls that the Jakarta
 * API makes blocking (pings and closes), all daemons, stopped by {@link #close()}.
 */
public final class ChatEndpointConfig implements AutoCloseable {

    /** The path the endpoint is registered at unless another is set. */
    public static final String DEFAULT_PATH = "/ws";
    /** The query parameter read for a token when {@link Builder#tokenInQuery} is on. */
    public static final String TOKEN_QUERY_PARAMETER = "access_token";

    private final ChatEngine engine;
    private final String path;
    private final Set<String> allowedOrigins;
    private final boolean tokenInQuery;
    private final boolean permessageDeflate;
    private final Duration idleTimeout;
    private final Duration pingInterval;
    private final Duration sendTimeout;
    private final Housekeeper housekeeper;
    private final ServerEndpointConfig serverEndpointConfig;

    private ChatEndpointConfig(Builder builder) {
        this.engine = builder.engine;
        this.path = builder.path;
        this.allowedOrigins = Set.copyOf(builder.allowedOrigins);
        this.tokenInQuery = builder.tokenInQuery;
        this.permessageDeflate = builder.permessageDeflate;
        this.idleTimeout = builder.idleTimeout;
        this.pingInterval = builder.pingInterval;
        this.sendTimeout = builder.sendTimeout;
        this.housekeeper = new Housekeeper(tickOf(pingInterval, sendTimeout));
        this.serverEndpointConfig = ServerEndpointConfig.Builder.create(ChatEndpoint.class, path)
                .configurator(new HandshakeConfigurator(this))
                .build();
    }

    /** Checks often enough that a ping or a send timeout is late by at most a quarter of its interval. */
    private static Duration tickOf(Duration pingInterval, Duration sendTimeout) {
        Duration shortest = pingInterval.compareTo(sendTimeout) < 0 ? pingInterval : sendTimeout;
        Duration tick = shortest.dividedBy(4);
        return tick.compareTo(Duration.ofMillis(20)) < 0 ? Duration.ofMillis(20) : tick;
    }

    /** Starts configuring the endpoint of this engine. */
    public static Builder builder(ChatEngine engine) {
        return new Builder(engine);
    }

    /** The configuration to pass to {@link ServerContainer#addEndpoint(ServerEndpointConfig)}; always the same one. */
    public ServerEndpointConfig serverEndpointConfig() {
        return serverEndpointConfig;
    }

    /** Registers the endpoint on a container: {@code container.addEndpoint(serverEndpointConfig())}. */
    public void register(ServerContainer container) throws DeploymentException {
        container.addEndpoint(serverEndpointConfig);
    }

    /** The path the endpoint is registered at. */
    public String path() {
        return path;
    }

    /** The browser origins allowed to open sockets. */
    public Set<String> allowedOrigins() {
        return allowedOrigins;
    }

    /** How many sockets of this endpoint are open, authenticated or not. */
    public int openSockets() {
        return housekeeper.size();
    }

    ChatEngine engine() {
        return engine;
    }

    boolean tokenInQuery() {
        return tokenInQuery;
    }

    boolean permessageDeflate() {
        return permessageDeflate;
    }

    Duration idleTimeout() {
        return idleTimeout;
    }

    Duration pingInterval() {
        return pingInterval;
    }

    Duration sendTimeout() {
        return sendTimeout;
    }

    Housekeeper housekeeper() {
        return housekeeper;
    }

    /**
     * Stops pinging and watching sockets, and releases the endpoint's threads. Close the engine first: it closes the
     * sockets. Sockets still open afterwards keep working but are no longer pinged or timed out.
     */
    @Override
    public void close() {
        housekeeper.close();
    }

    /** Configures a {@link ChatEndpointConfig}. Not thread-safe; build once. */
    public static final class Builder {
        private final ChatEngine engine;
        private String path = DEFAULT_PATH;
        private final Set<String> allowedOrigins = new LinkedHashSet<>();
        private boolean tokenInQuery;
        private boolean permessageDeflate;
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration pingInterval = Duration.ofSeconds(25);
        private Duration sendTimeout = Duration.ofSeconds(10);

        private Builder(ChatEngine engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
        }

        /** The path to register at, relative to the web application; {@value #DEFAULT_PATH} unless set. */
        public Builder path(String path) {
            Objects.requireNonNull(path, "path");
            if (!path.startsWith("/")) {
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
        public Builder allowedOrigins(Collection<String> origins) {
            origins.forEach(origin -> allowedOrigins.add(checkOrigin(origin)));
            return this;
        }

        /** See {@link #allowedOrigins(Collection)}. */
        public Builder allowedOrigins(String... origins) {
            return allowedOrigins(Arrays.asList(origins));
        }

        private static String checkOrigin(String origin) {
            Objects.requireNonNull(origin, "origin");
            URI uri;
            try {
                uri = URI.create(origin);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not an origin: " + origin, e);
            }
            if (uri.getScheme() == null || uri.getHost() == null || !(uri.getRawPath() == null
                    || uri.getRawPath().isEmpty()) || uri.getRawQuery() != null || uri.getRawFragment() != null) {
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

        /** Whether to negotiate permessage-deflate when the client offers it; off by default. */
        public Builder permessageDeflate(boolean enabled) {
            this.permessageDeflate = enabled;
            return this;
        }

        /**
         * How long a socket may send nothing, not even a pong, before it is closed with 1001; 60 s unless set. Must be
         * longer than the ping interval.
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = positive(timeout, "idleTimeout");
            return this;
        }

        /** How often the server pings a socket that is not busy sending; 25 s unless set. */
        public Builder pingInterval(Duration interval) {
            this.pingInterval = positive(interval, "pingInterval");
            return this;
        }

        /** How long one outbound frame may take to reach the client before the socket is closed with 4408; 10 s. */
        public Builder sendTimeout(Duration timeout) {
            this.sendTimeout = positive(timeout, "sendTimeout");
            return this;
        }

        private static Duration positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return value;
        }

        /** Builds the configuration and starts its timer. */
        public ChatEndpointConfig build() {
            if (idleTimeout.compareTo(pingInterval) <= 0) {
                throw new IllegalArgumentException("idleTimeout must be longer than pingInterval");
            }
            return new ChatEndpointConfig(this);
        }
    }
}
