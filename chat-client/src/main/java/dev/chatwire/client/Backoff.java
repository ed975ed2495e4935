package dev.chatwire.client;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Reconnect delays: exponential growth with full jitter under a cap. The n-th delay since the last {@link #reset()}
 * is uniform in {@code [0, min(max, initial * 2^(n-1)))}, so clients that lost the same server do not come back in
 * step. Not thread-safe: used on the client's event thread.
 */
final class Backoff {

    private static final int MAX_DOUBLINGS = 30;

    private final Duration initial;
    private final Duration max;
    private final RandomGenerator random;
    private int failures;

    Backoff(Duration initial, Duration max, RandomGenerator random) {
        this.initial = initial;
        this.max = max;
        this.random = random;
    }

    /** The delay before the next attempt; each call raises the ceiling of the following one. */
    Duration next() {
        double ceiling = Math.min(max.toMillis(), initial.toMillis() * Math.pow(2, failures));
        failures = Math.min(failures + 1, MAX_DOUBLINGS);
        return Duration.ofMillis((long) (random.nextDouble() * ceiling));
    }

    /** Starts over from the initial delay, after a successful connect. */
    void reset() {
        failures = 0;
    }
}
