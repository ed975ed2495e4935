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
        return JWT.create().withSubject(userId).withExpiresAt(Instant.now().plus(lifetime))
                .sign(Algorithm.HMAC256(SECRET.getBytes(StandardCharsets.UTF_8)));
    }
}
