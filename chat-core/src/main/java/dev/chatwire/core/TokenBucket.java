package dev.chatwire.core;

import java.time.Clock;

/** A token-bucket rate limit on one connection's commands. Not thread-safe; the session guards it. */
final class TokenBucket {

    private final double perSecond;
    private final double capacity;
    private final Clock clock;
    private double tokens;
    private long lastRefillNanos;

    TokenBucket(double perSecond, int burst, Clock clock) {
        this.perSecond = perSecond;
        this.capacity = burst;
        this.clock = clock;
        this.tokens = burst;
        this.lastRefillNanos = nanos();
    }

    /** Takes one token if there is one. */
    boolean tryTake() {
        long now = nanos();
        tokens = Math.min(capacity, tokens + (now - lastRefillNanos) / 1e9 * perSecond);
        lastRefillNanos = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    private long nanos() {
        return clock.millis() * 1_000_000L;
    }
}
