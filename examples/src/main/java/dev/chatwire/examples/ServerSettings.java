package dev.chatwire.examples;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

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
 * <li>{@code CHAT_MONGO_URI}, {@code CHAT_REDIS_URI}: reserved for the MongoDB and Redis adapters, see
 * {@link Backends}</li>
 * </ul>
 *
 * @param allowedOrigins the configured origins, or empty for the defaults of the bound port
 * @param mongoUri       or null
 * @param redisUri       or null
 */
record ServerSettings(String host, int port, byte[] jwtSecret, boolean randomSecret, List<String> allowedOrigins,
                      String mongoUri, String redisUri) {

    static final int DEFAULT_PORT = 8080;
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
        int portNumber;
        try {
            portNumber = port == null ? DEFAULT_PORT : Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("CHAT_PORT must be a number, was '" + port + "'", e);
        }
        byte[] secretBytes = secret == null ? generateSecret() : secret.getBytes(StandardCharsets.UTF_8);
        List<String> originList = origins == null ? List.of() : Arrays.stream(origins.split(","))
                .map(String::trim).filter(origin -> !origin.isEmpty()).toList();
        return new ServerSettings(host == null ? "127.0.0.1" : host, portNumber, secretBytes, secret == null,
                originList, value(env, "CHAT_MONGO_URI"), value(env, "CHAT_REDIS_URI"));
    }

    /** Settings for tests: a free port, a random secret, the default origins. */
    static ServerSettings forTests() {
        return fromEnvironment(Map.of("CHAT_PORT", "0"));
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
