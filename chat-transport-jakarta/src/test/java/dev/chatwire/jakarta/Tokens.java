package dev.chatwire.jakarta;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/** Mints the HS256 tokens the suite's engine accepts, and some it must refuse; shared with other transports' tests. */
public final class Tokens {

    public static final String SECRET = "chatwire-test-secret-of-at-least-32-bytes!";
    private static final String OTHER_SECRET = "a-different-secret-that-the-server-never-saw";

    private Tokens() {
    }

    public static String valid(String userId) {
        return sign(userId, Instant.now().plus(Duration.ofHours(1)), SECRET);
    }

    public static String expiringIn(String userId, Duration lifetime) {
        return sign(userId, Instant.now().plus(lifetime), SECRET);
    }

    public static String forged(String userId) {
        return sign(userId, Instant.now().plus(Duration.ofHours(1)), OTHER_SECRET);
    }

    public static String expired(String userId) {
        return sign(userId, Instant.now().minus(Duration.ofMinutes(10)), SECRET);
    }

    private static String sign(String userId, Instant expiresAt, String secret) {
        return JWT.create().withSubject(userId).withExpiresAt(expiresAt)
                .sign(Algorithm.HMAC256(secret.getBytes(StandardCharsets.UTF_8)));
    }
}
