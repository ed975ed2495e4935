package dev.chatwire.client;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RefreshTimingTest {

    private static final Instant NOW = Instant.parse("2026-01-02T03:00:00Z");
    private static final Duration LEAD = Duration.ofSeconds(30);

    @Test
    void aLongLivedTokenIsReplacedTheLeadBeforeItExpires() {
        assertThat(RefreshTiming.refreshIn(expiringAt(NOW.plusSeconds(3600)), NOW, LEAD))
                .contains(Duration.ofSeconds(3570));
    }

    @Test
    void aShortLivedTokenIsReplacedHalfwayThroughWhatIsLeftOfIt() {
        assertThat(RefreshTiming.refreshIn(expiringAt(NOW.plusSeconds(40)), NOW, LEAD))
                .contains(Duration.ofSeconds(20));
    }

    @Test
    void anExpiredOrOpaqueTokenIsNotRefreshedOverTheSocket() {
        assertThat(RefreshTiming.refreshIn(expiringAt(NOW), NOW, LEAD)).isEmpty();
        assertThat(RefreshTiming.refreshIn("opaque", NOW, LEAD)).isEmpty();
    }

    @Test
    void onlyATokenThatExpiresLaterCountsAsLivingLonger() {
        String old = expiringAt(NOW.plusSeconds(60));

        assertThat(RefreshTiming.outlives(expiringAt(NOW.plusSeconds(120)), old)).isTrue();
        assertThat(RefreshTiming.outlives(expiringAt(NOW.plusSeconds(60)), old)).isFalse();
        assertThat(RefreshTiming.outlives("opaque", old)).isFalse();
    }

    private static String expiringAt(Instant expiry) {
        return JWT.create().withSubject("alice").withExpiresAt(expiry).sign(Algorithm.HMAC256(Tokens.SECRET));
    }
}
