package dev.chatwire.client;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class JwtExpiryTest {

    @Test
    void theExpiryOfAJwtIsReadFromItsPayload() {
        Instant before = Instant.now().plus(Duration.ofMinutes(5)).minusSeconds(1);

        Instant expiry = JwtExpiry.of(Tokens.expiringIn("alice", Duration.ofMinutes(5))).orElseThrow();

        assertThat(expiry).isBetween(before, Instant.now().plus(Duration.ofMinutes(5)));
    }

    @Test
    void anOpaqueTokenHasNoKnownExpiry() {
        assertThat(JwtExpiry.of("opaque-session-token")).isEmpty();
        assertThat(JwtExpiry.of("a.!!!.c")).isEmpty();
        assertThat(JwtExpiry.of("e30.e30.sig")).isEmpty();
    }
}
