package dev.chatwire.core;

import java.time.Duration;

/** A request refused with {@link ErrorCode#RATE_LIMITED}, saying how long until the same request would pass. */
public class RateLimitedException extends ChatException {

    private final Duration retryAfter;

    /** Creates the exception. */
    public RateLimitedException(String message, Duration retryAfter) {
        super(ErrorCode.RATE_LIMITED, message);
        this.retryAfter = retryAfter;
    }

    /** How long until the limit lets one more request through; never negative. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
