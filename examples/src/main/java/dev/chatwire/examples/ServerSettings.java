package dev.chatwire.examples;

import dev.chatwire.core.ChatLimits;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the example servers read from the environment.
 *
 * <ul>
 * <li>{@code CHAT_HOST}: the address to listen on; {@code 127.0.0.1} unless set ({@code 0.0.0.0} for every
 * interface)</li>
 * <li>{@code CHAT_PORT}: the port; 8080 unless set (0 picks a free one)</li>
 * <li>{@code CHAT_JWT_SECRET}: the HS256 secret tokens are signed with, at least 32 bytes; a random one unless set,
 * so tokens do not survive a restart</li>
 * <li>{@code CHAT_ALLOWED_ORIGINS}: comma-separated browser origins allowed to open sockets; unless set, the
 * server's own {@code http://localhost:PORT} and {@code http://127.0.0.1:PORT}</li>
 * <li>{@code CHAT_MONGO_URI}: a MongoDB connection string; chats, messages and attachments are stored there (database
 * {@code chatwire} unless the string names one) instead of in memory</li>
 * <li>{@code CHAT_REDIS_URI}: a Redis URI; presence and rooms are shared through it, so several servers can run as
 * nodes of one chat service (give them one {@code CHAT_MONGO_URI} and one {@code CHAT_JWT_SECRET} too)</li>
 * <li>{@code CHAT_PRESENCE_EXPIRY_SECONDS}: with Redis, how soon the users of a node that died are reported
 * offline; 30 unless set</li>
 * <li>{@code CHAT_WEBSOCKET}: which WebSocket API the Jetty server serves {@code /ws} through: {@code jakarta} (the
 * default, {@code chat-transport-jakarta}) or {@code jetty} (Jetty's core WebSocket API, {@code chat-transport-jetty},
 * a few kilobytes lighter per connection); the Tomcat server always uses Jakarta WebSocket</li>
 * <li>{@code CHAT_ALLOWED_HOSTS}: comma-separated host names that requests may name in their {@code Host} header,
 * besides {@code localhost}, {@code 127.0.0.1}, {@code [::1]} and {@code CHAT_HOST}; any other is refused with 421,
 * so that a page on another site cannot reach the server through a rebound DNS name</li>
 * <li>{@code CHAT_REST_RATE_LIMITS}: {@code off} lifts the per-user REST rates (sends, chat creations, uploads), for
 * load tests that post as one user as fast as the server answers; on unless set</li>
 * <li>{@code CHAT_MAX_UNAUTHENTICATED_PER_ADDRESS}: how many sockets one address may hold before their tokens are
 * accepted ({@link dev.chatwire.core.ChatLimits#maxUnauthenticatedPerAddress()}, 64 unless set); load tests that
 * open thousands of sockets from one address at once raise it</li>
 * </ul>
 *
 * @param allowedOrigins the configured origins, or empty for the defaults of the bound port
 * @param mongoUri       or null
 * @param redisUri       or null
 * @param webSocket      the WebSocket API of the Jetty server
 * @param allowedHosts   the configured host names, besides the server's own
 * @param restRateLimits whether the per-user REST rates apply
 * @param maxUnauthenticatedPerAddress how many not yet authenticated sockets one address may hold
 */
record ServerSettings(String host, int port, byte[] jwtSecret, boolean randomSecret, List<String> allowedOrigins,
                      String mongoUri, String redisUri, Duration presenceExpiry, WebSocketApi webSocket,
                      List<String> allowedHosts, boolean restRateLimits, int maxUnauthenticatedPerAddress) {

    /** The WebSocket APIs the Jetty example can serve its socket through. */
    enum WebSocketApi {
        /** Jakarta WebSocket: {@code ChatEndpointConfig} on Jetty's ee10 container. */
        JAKARTA,
        /** Jetty's core WebSocket API: {@code ChatWebSocketHandler}. */
        JETTY
    }

    static final int DEFAULT_PORT = 8080;
    static final int DEFAULT_PRESENCE_EXPIRY_SECONDS = 30;
    private static final int MIN_SECRET_BYTES = 32;

    /** Validates the settings. */
    ServerSettings {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("CHAT_PORT must be 0 to 65535, was " + port);
        }
        if (jwtSecret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("CHAT_JWT_SECRET must be at least " + MIN_SECRET_BYTES + " bytes");
        }
        jwtSecret = jwtSecret.clone();
        allowedOrigins = List.copyOf(allowedOrigins);
        if (presenceExpiry.isZero() || presenceExpiry.isNegative()) {
            throw new IllegalArgumentException("CHAT_PRESENCE_EXPIRY_SECONDS must be positive");
        }
        Objects.requireNonNull(webSocket, "webSocket");
        allowedHosts = List.copyOf(allowedHosts);
    }

    /** The HS256 secret; a copy. */
    @Override
    public byte[] jwtSecret() {
        return jwtSecret.clone();
    }

    /** Reads the settings from environment variables. */
    static ServerSettings fromEnvironment(Map<String, String> env) {
        String host = value(env, "CHAT_HOST");
        String port = value(env, "CHAT_PORT");
        String secret = value(env, "CHAT_JWT_SECRET");
        String origins = value(env, "CHAT_ALLOWED_ORIGINS");
        String expiry = value(env, "CHAT_PRESENCE_EXPIRY_SECONDS");
        int portNumber = number("CHAT_PORT", port, DEFAULT_PORT);
        int expirySeconds = number("CHAT_PRESENCE_EXPIRY_SECONDS", expiry, DEFAULT_PRESENCE_EXPIRY_SECONDS);
        byte[] secretBytes = secret == null ? generateSecret() : secret.getBytes(StandardCharsets.UTF_8);
        return new ServerSettings(host == null ? "127.0.0.1" : host, portNumber, secretBytes, secret == null,
                list(origins), value(env, "CHAT_MONGO_URI"), value(env, "CHAT_REDIS_URI"),
                Duration.ofSeconds(expirySeconds), webSocketApi(value(env, "CHAT_WEBSOCKET")),
                list(value(env, "CHAT_ALLOWED_HOSTS")), onOrOff("CHAT_REST_RATE_LIMITS",
                        value(env, "CHAT_REST_RATE_LIMITS")), number("CHAT_MAX_UNAUTHENTICATED_PER_ADDRESS",
                        value(env, "CHAT_MAX_UNAUTHENTICATED_PER_ADDRESS"),
                        ChatLimits.defaults().maxUnauthenticatedPerAddress()));
    }

    private static List<String> list(String commaSeparated) {
        return commaSeparated == null ? List.of() : Arrays.stream(commaSeparated.split(","))
                .map(String::trim).filter(item -> !item.isEmpty()).toList();
    }

    private static boolean onOrOff(String name, String value) {
        if (value == null || value.equalsIgnoreCase("on")) {
            return true;
        }
        if (value.equalsIgnoreCase("off")) {
            return false;
        }
        throw new IllegalArgumentException(name + " must be on or off, was '" + value + "'");
    }

    private static WebSocketApi webSocketApi(String value) {
        if (value == null) {
            return WebSocketApi.JAKARTA;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "jakarta" -> WebSocketApi.JAKARTA;
            case "jetty" -> WebSocketApi.JETTY;
            default -> throw new IllegalArgumentException(
                    "CHAT_WEBSOCKET must be jakarta or jetty, was '" + value + "'");
        };
    }

    private static int number(String name, String value, int fallback) {
        try {
            return value == null ? fallback : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, was '" + value + "'", e);
        }
    }

    /** Settings for tests: a free port, a random secret, the default origins. */
    static ServerSettings forTests() {
        return fromEnvironment(Map.of("CHAT_PORT", "0"));
    }

    /** These settings with another WebSocket API. */
    ServerSettings withWebSocket(WebSocketApi api) {
        return new ServerSettings(host, port, jwtSecret, randomSecret, allowedOrigins, mongoUri, redisUri,
                presenceExpiry, api, allowedHosts, restRateLimits, maxUnauthenticatedPerAddress);
    }

    /**
     * The host names a request's {@code Host} header may name, lower case and without a port: the loopback names,
     * {@code CHAT_HOST} unless it is a wildcard address, and {@code CHAT_ALLOWED_HOSTS}.
     */
    Set<String> hostNames() {
        Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "[::1]"));
        if (!host.equals("0.0.0.0") && !host.equals("::") && !host.equals("[::]")) {
            names.add(host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host);
        }
        allowedHosts.forEach(name -> names.add(name));
        return names.stream().map(name -> name.toLowerCase(Locale.ROOT))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** Whether the server listens only on a loopback address, out of reach of other machines. */
    boolean listensOnLoopbackOnly() {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The browser origins to allow once the server listens on {@code boundPort}. */
    List<String> originsFor(int boundPort) {
        if (!allowedOrigins.isEmpty()) {
            return allowedOrigins;
        }
        return List.of("http://localhost:" + boundPort, "http://127.0.0.1:" + boundPort);
    }

    private static String value(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static byte[] generateSecret() {
        byte[] secret = new byte[MIN_SECRET_BYTES];
        new SecureRandom().nextBytes(secret);
        return secret;
    }
}
