package dev.chatwire.core;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link RateLimit} per user: each user has a token bucket of its own, with the semantics of the socket's
 * command rate. Transports use it for the REST requests that the socket's per-connection limit does not cover
 * (sends, chat creations, uploads).
 *
 * <p>Thread-safe and non-blocking: a bucket is locked only for its arithmetic. Memory stays bounded by the users
 * active within a bucket's refill time: buckets that refilled completely are dropped once the map grows.
 */
public final class UserRateLimiter {

    /** Buckets held before full ones are swept; the sweep threshold then follows the live count. */
    static final int SWEEP_THRESHOLD = 4096;

    private final RateLimit limit;
    private final Clock clock;
    private final String what;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private volatile int sweepAt = SWEEP_THRESHOLD;

    /**
     * Creates the limiter.
     *
     * @param limit the rate each user gets
     * @param clock the time the buckets refill by
     * @param what  what is limited, plural, for the error message ({@code "sends"})
     */
    public UserRateLimiter(RateLimit limit, Clock clock, String what) {
        this.limit = Objects.requireNonNull(limit, "limit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.what = Objects.requireNonNull(what, "what");
    }

    /**
     * Takes one request of the user's rate.
     *
     * @throws RateLimitedException when the user has none left, with the time until one is back
     */
    public void acquire(String userId) {
        if (limit.isUnlimited()) {
            return;
        }
        if (buckets.size() >= sweepAt) {
            sweep();
        }
        TokenBucket bucket = buckets.computeIfAbsent(userId, id -> new TokenBucket(limit.perSecond(),
                limit.burst(), clock));
        long waitNanos;
        synchronized (bucket) {
            if (bucket.tryTake()) {
                return;
            }
            waitNanos = bucket.nanosUntilToken();
        }
        throw new RateLimitedException("too many " + what + "; slow down", Duration.ofNanos(waitNanos));
    }

    private void sweep() {
        buckets.values().removeIf(bucket -> {
            synchronized (bucket) {
                return bucket.isFull();
            }
        });
        sweepAt = Math.max(SWEEP_THRESHOLD, buckets.size() * 2);
    }

    /** How many users' buckets are held; for tests. */
    int trackedUsers() {
        return buckets.size();
    }
}
