package dev.chatwire.core;

/**
 * A token-bucket rate: {@code burst} requests at once, then {@code perSecond} on average, the semantics of the
 * socket's command rate ({@link ChatLimits#commandsPerSecond()}).
 *
 * @param perSecond the sustained rate; positive, or infinite for no limit
 * @param burst     how many requests may come at once after a pause; 1 or more
 */
public record RateLimit(double perSecond, int burst) {

    private static final RateLimit UNLIMITED = new RateLimit(Double.POSITIVE_INFINITY, Integer.MAX_VALUE);

    /** Validates the rate. */
    public RateLimit {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("perSecond must be positive, was " + perSecond);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be 1 or more, was " + burst);
        }
    }

    /** A rate of {@code perSecond} with bursts of {@code burst}. */
    public static RateLimit of(double perSecond, int burst) {
        return new RateLimit(perSecond, burst);
    }

    /** No limit at all. */
    public static RateLimit unlimited() {
        return UNLIMITED;
    }

    /** Whether this rate limits nothing. */
    public boolean isUnlimited() {
        return Double.isInfinite(perSecond);
    }
}
