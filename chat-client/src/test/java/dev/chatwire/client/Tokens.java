package dev.chatwire.client;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/** Mints the HS256 tokens the {@link TestServer} accepts. */
final class Tokens {

    static final String SECRET = "chat-client-test-secret-of-at-least-32-bytes";

    private Tokens() {
    }

    static String valid(String userId) {
        return expiringIn(userId, Duration.ofHours(1));
    }

    static String expiringIn(String userId, Duration lifetime) {
        return sign(userId, lifetime, SECRET);
    }

    /** A token the server refuses although it has not expired: signed with a secret the server never saw. */
    static String forged(String userId) {
        return sign(userId, Duration.ofHours(1), "a-different-secret-that-the-server-never-saw");
    }

    private static String sign(String userId, Duration lifetime, String secret) {
        return JWT.create().withSubject(userId).withExpiresAt(Instant.now().plus(lifetime))
                .sign(Algorithm.HMAC256(secret.getBytes(StandardCharsets.UTF_8)));
    }
}
