package dev.chatwire.core;

import java.time.Clock;

/** A token-bucket rate limit, on one connection's commands or one user's requests. Not thread-safe. */
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
        refill();
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** How long until one token is back; 0 when there is one now. */
    long nanosUntilToken() {
        refill();
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perSecond * 1e9);
    }

    /** Whether the bucket has refilled completely: it then says nothing that a new bucket would not. */
    boolean isFull() {
        refill();
        return tokens >= capacity;
    }

    private void refill() {
        long now = nanos();
        tokens = Math.min(capacity, tokens + (now - lastRefillNanos) / 1e9 * perSecond);
        lastRefillNanos = now;
    }

    private long nanos() {
        return clock.millis() * 1_000_000L;
    }
}
