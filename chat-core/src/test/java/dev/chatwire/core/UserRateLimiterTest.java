package dev.chatwire.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class UserRateLimiterTest {

    private final ManualScheduler time = new ManualScheduler(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void aUserGetsTheBurstThenIsRefusedWithTheTimeUntilTheNextRequest() {
        UserRateLimiter limiter = new UserRateLimiter(RateLimit.of(2, 3), time.clock(), "sends");
        for (int i = 0; i < 3; i++) {
            limiter.acquire("alice");
        }
        RateLimitedException refused = catchThrowableOfType(RateLimitedException.class,
                () -> limiter.acquire("alice"));
        assertThat(refused.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(refused.getMessage()).contains("sends");
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofMillis(500));

        time.advance(Duration.ofMillis(500));
        limiter.acquire("alice");
        assertThatThrownBy(() -> limiter.acquire("alice")).isInstanceOf(RateLimitedException.class);
    }

    @Test
    void eachUserHasABucketOfItsOwn() {
        UserRateLimiter limiter = new UserRateLimiter(RateLimit.of(1, 1), time.clock(), "uploads");
        limiter.acquire("alice");
        limiter.acquire("bob");
        assertThatThrownBy(() -> limiter.acquire("alice")).isInstanceOf(RateLimitedException.class);
    }

    @Test
    void anUnlimitedRateNeverRefusesAndHoldsNoBuckets() {
        UserRateLimiter limiter = new UserRateLimiter(RateLimit.unlimited(), time.clock(), "sends");
        for (int i = 0; i < 10_000; i++) {
            limiter.acquire("alice");
        }
        assertThat(limiter.trackedUsers()).isZero();
    }

    @Test
    void bucketsOfUsersWhoWentQuietAreDroppedOnceManyUsersCame() {
        UserRateLimiter limiter = new UserRateLimiter(RateLimit.of(10, 1), time.clock(), "sends");
        for (int i = 0; i < UserRateLimiter.SWEEP_THRESHOLD; i++) {
            limiter.acquire("user-" + i);
        }
        time.advance(Duration.ofSeconds(1));
        limiter.acquire("late");
        assertThat(limiter.trackedUsers()).isEqualTo(1);
    }

    @Test
    void ratesAreValidated() {
        assertThatThrownBy(() -> RateLimit.of(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RateLimit.of(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
