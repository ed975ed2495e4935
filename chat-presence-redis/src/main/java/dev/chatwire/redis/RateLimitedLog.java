package dev.chatwire.redis;

import org.slf4j.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs a recurring warning at most once per interval, counting what it held back, so that an outage does not flood
 * the log with one line per call.
 */
final class RateLimitedLog {

    private final Logger log;
    private final Clock clock;
    private final long intervalMillis;
    private final AtomicLong nextAllowedMillis = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    RateLimitedLog(Logger log, Clock clock, Duration interval) {
        this.log = log;
        this.clock = clock;
        this.intervalMillis = interval.toMillis();
    }

    /** Logs {@code message} with the failure's description (if any), unless a warning was logged in the interval. */
    void warn(String message, Throwable failure) {
        long now = clock.millis();
        long allowed = nextAllowedMillis.get();
        if (now < allowed || !nextAllowedMillis.compareAndSet(allowed, now + intervalMillis)) {
            suppressed.incrementAndGet();
            log.debug(message, failure);
            return;
        }
        long held = suppressed.getAndSet(0);
        String suffix = held == 0 ? "" : " (" + held + " similar warnings suppressed)";
        log.warn("{}{}{}", message, failure == null ? "" : ": " + failure, suffix);
        log.debug("stack trace of the failure above", failure);
    }
}
