package dev.chatwire.core;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.chatwire.core.jwt.JwtTokenVerifier;
import dev.chatwire.core.spi.TokenVerification;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static dev.chatwire.core.EngineFixture.open;
import static org.assertj.core.api.Assertions.assertThat;

/** The socket's expiry deadline agrees with the verifier that let the token in. */
class ChatEngineTokenExpiryTest {

    private static final String SECRET = "a-test-secret-that-is-at-least-32-bytes-long";

    @Test
    void aTokenAcceptedInsideTheLeewayKeepsTheSocketOpenUntilTheLeewayEnds() {
        ManualScheduler time = new ManualScheduler(Instant.parse("2026-12-04T10:00:00Z"));
        JwtTokenVerifier tokens = JwtTokenVerifier.hs256(SECRET)
                .leeway(Duration.ofSeconds(30)).clock(time.clock()).build();
        String token = JWT.create().withSubject("alice")
                .withExpiresAt(time.clock().instant().minusSeconds(10)).sign(Algorithm.HMAC256(SECRET));
        assertThat(tokens.verify(token)).isInstanceOf(TokenVerification.Accepted.class);
        try (EngineFixture fixture = new EngineFixture();
             ChatEngine engine = fixture.builder().tokenVerifier(tokens).scheduler(time).clock(time.clock()).build()) {
            FakeConnection connection = open(engine);
            connection.session.authenticate(token, Map.of());
            // Admission runs on the engine's executor; connected goes out after the deadline is armed.
            connection.awaitFrame("connected");
            assertThat(connection.session.principal()).isPresent();

            time.advance(Duration.ofMillis(19_999));
            assertThat(connection.closeCode).isNull();

            time.advance(Duration.ofMillis(1));
            assertThat(connection.closeCode).isEqualTo(CloseCodes.TOKEN_EXPIRED);
        }
    }

    @Test
    void aVerifierWithoutLeewayClosesTheSocketAtExpiry() {
        ManualScheduler time = new ManualScheduler(Instant.parse("2026-12-04T10:00:00Z"));
        JwtTokenVerifier tokens = JwtTokenVerifier.hs256(SECRET).leeway(Duration.ZERO).clock(time.clock()).build();
        String token = JWT.create().withSubject("alice")
                .withExpiresAt(time.clock().instant().plusSeconds(5)).sign(Algorithm.HMAC256(SECRET));
        try (EngineFixture fixture = new EngineFixture();
             ChatEngine engine = fixture.builder().tokenVerifier(tokens).scheduler(time).clock(time.clock()).build()) {
            FakeConnection connection = open(engine);
            connection.session.authenticate(token, Map.of());
            connection.awaitFrame("connected");

            time.advance(Duration.ofMillis(4_999));
            assertThat(connection.closeCode).isNull();
            time.advance(Duration.ofMillis(1));
            assertThat(connection.closeCode).isEqualTo(CloseCodes.TOKEN_EXPIRED);
        }
    }
}
