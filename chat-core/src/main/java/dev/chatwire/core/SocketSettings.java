package dev.chatwire.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules of a WebSocket endpoint, whichever transport serves it: every Chatwire socket transport takes one of these,
 * so a host switches transports without its clients noticing.
 *
 * <pre>{@code
 * SocketSettings sockets = SocketSettings.builder()
 *         .allowedOrigins("https://chat.example.com")
 *         .build();
 * }</pre>
 *
 * <p>At the handshake a browser whose {@code Origin} is not exactly one of {@link Builder#allowedOrigins} is refused
 * with HTTP 403, and a request without {@code Origin} (a non-browser client) goes on to token authentication; an
 * {@code Authorization: Bearer} token authenticates the socket as soon as it opens, otherwise the client's first frame
 * must be {@code connect}. No sub-protocol, and no extension unless {@link Builder#permessageDeflate} is set. On an
 * open socket the server pings every {@link Builder#pingInterval} while it is not sending, closes with 1001 a socket
 * that showed no sign of life (a frame or pong from it, or a message it took) for {@link Builder#idleTimeout}, and
 * closes with 4408, as a slow consumer, a socket that has not taken a frame within {@link Builder#sendTimeout}.
 * Immutable.
 */
public final class SocketSettings {

    private static final Logger log = LoggerFactory.getLogger(SocketSettings.class);
    private static final int MAX_LOGGED_ORIGIN_CHARS = 200;

    /** The path sockets are served at unless another is set. */
    public static final String DEFAULT_PATH = "/ws";
    /** The query parameter read for a token when {@link Builder#tokenInQuery} is on. */
    public static final String TOKEN_QUERY_PARAMETER = "access_token";
    private static final String BEARER = "bearer ";
    private static final Duration SHORTEST_SWEEP = Duration.ofMillis(20);
    private static final Pattern LITERAL_PATH = Pattern.compile("/[A-Za-z0-9._~/-]*");

    private final String path;
    private final Set<String> allowedOrigins;
    /** Refused origins at INFO, at most once per interval: any page on the web can make a browser knock. */
    private final RefusalLog originRefusals = new RefusalLog(log, Clock.systemUTC());
    private final boolean tokenInQuery;
    private final boolean permessageDeflate;
    private final Duration idleTimeout;
    private final Duration pingInterval;
    private final Duration sendTimeout;

    private SocketSettings(Builder builder) {
        this.path = builder.path;
        this.allowedOrigins = Collections.unmodifiableSet(new LinkedHashSet<>(builder.allowedOrigins));
        this.tokenInQuery = builder.tokenInQuery;
        this.permessageDeflate = builder.permessageDeflate;
        this.idleTimeout = builder.idleTimeout;
        this.pingInterval = builder.pingInterval;
        this.sendTimeout = builder.sendTimeout;
    }

    /** Starts from the defaults: {@code /ws}, no browser origin, header or frame tokens only, no compression. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The path sockets are served at: relative to the web application on Jakarta WebSocket, to the whole server on
     * Jetty's core handler.
     */
    public String path() {
        return path;
    }

    /** The browser origins allowed to open sockets. */
    public Set<String> allowedOrigins() {
        return allowedOrigins;
    }

    /** Whether the handshake's {@value #TOKEN_QUERY_PARAMETER} query parameter may carry the token. */
    public boolean tokenInQuery() {
        return tokenInQuery;
    }

    /** Whether permessage-deflate is negotiated when the client offers it. */
    public boolean permessageDeflate() {
        return permessageDeflate;
    }

    /** How long a socket may show no sign of life before it is closed with 1001. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** How often a socket that is not busy sending is pinged. */
    public Duration pingInterval() {
        return pingInterval;
    }

    /** How long one outbound frame may take before the socket is closed with 4408. */
    public Duration sendTimeout() {
        return sendTimeout;
    }

    /**
     * Whether a handshake with this {@code Origin} header may go on: an exact match of the allow-list, or no header at
     * all (a non-browser client).
     */
    public boolean allowsOrigin(String originHeader) {
        if (originHeader == null || allowedOrigins.contains(originHeader)) {
            return true;
        }
        originRefusals.refused("socket handshake refused: origin " + printable(originHeader) + " is not allowed",
                () -> log.debug("socket handshake refused: origin {} is not allowed", printable(originHeader)));
        return false;
    }

    /** An origin as a log line may show it: a client sends what it likes, so no control characters and no novel. */
    private static String printable(String origin) {
        String shown = origin.length() > MAX_LOGGED_ORIGIN_CHARS ? origin.substring(0, MAX_LOGGED_ORIGIN_CHARS) + "..."
                : origin;
        return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
    }

    /**
     * How often a transport should visit its sockets, so that a ping or a send timeout is late by at most a quarter
     * of its interval.
     */
    public Duration sweepInterval() {
        Duration shortest = pingInterval.compareTo(sendTimeout) < 0 ? pingInterval : sendTimeout;
        Duration sweep = shortest.dividedBy(4);
        return sweep.compareTo(SHORTEST_SWEEP) < 0 ? SHORTEST_SWEEP : sweep;
    }

    /**
     * The token of the first {@code Authorization: Bearer} value, the scheme matched in any case.
     *
     * @param authorizationValues the values of the request's {@code Authorization} headers
     * @return the token, or {@code null} if no value carries one
     */
    public static String bearerToken(Iterable<String> authorizationValues) {
        for (String value : authorizationValues) {
            if (value != null && value.length() > BEARER.length()
                    && value.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
                String token = value.substring(BEARER.length()).trim();
                if (!token.isEmpty()) {
                    return token;
                }
            }
        }
        return null;
    }

    /** Configures {@link SocketSettings}. Not thread-safe; build once. */
    public static final class Builder {
        private String path = DEFAULT_PATH;
        private final Set<String> allowedOrigins = new LinkedHashSet<>();
        private boolean tokenInQuery;
        private boolean permessageDeflate;
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration pingInterval = Duration.ofSeconds(25);
        private Duration sendTimeout = Duration.ofSeconds(10);

        private Builder() {
        }

        /**
         * The path to serve sockets at, {@value #DEFAULT_PATH} unless set: a literal path (containers would read
         * {@code {...}} as a template and Jetty {@code ^...} as a pattern), relative to the web application on Jakarta
         * WebSocket and to the whole server on Jetty's core handler.
         */
        public Builder path(String path) {
            Objects.requireNonNull(path, "path");
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("the path must start with '/': " + path);
            }
            if (!LITERAL_PATH.matcher(path).matches()) {
                throw new IllegalArgumentException("the path must be literal (letters, digits, '/', '-', '_', '.', "
                        + "'~'): " + path);
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
                    || uri.getRawPath().isEmpty()) || uri.getRawQuery() != null || uri.getRawFragment() != null
                    || uri.getRawUserInfo() != null) {
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
         * How long a socket may show no sign of life (a frame or pong from it, or a message it took) before it is
         * closed with 1001; 60 s unless set. Must be longer than the ping interval.
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

        /** Builds the settings. */
        public SocketSettings build() {
            if (idleTimeout.compareTo(pingInterval) <= 0) {
                throw new IllegalArgumentException("idleTimeout must be longer than pingInterval");
            }
            return new SocketSettings(this);
        }
    }
}
