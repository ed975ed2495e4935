package dev.chatwire.core;

import org.slf4j.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Refusals a client can cause at will (a bad token, a foreign origin), logged at INFO at most once per interval and
 * otherwise at DEBUG, counted in the next INFO line: an operator sees them, and a flood of them cannot flood the log.
 * Thread-safe.
 */
final class RefusalLog {

    /** Refusals of one kind are logged at INFO at most this often. */
    static final Duration INTERVAL = Duration.ofSeconds(10);

    private final Logger log;
    private final Clock clock;
    private final AtomicLong nextInfoMillis = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong heldBack = new AtomicLong();

    RefusalLog(Logger log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    /**
     * Logs a refusal: {@code line} at INFO, with how many were held back since the last INFO line, unless one was
     * logged within {@link #INTERVAL}; then {@code atDebug} runs instead (it logs the refusal at DEBUG, as it likes).
     *
     * @param line what was refused and why; never a secret
     * @return whether it was logged at INFO
     */
    boolean refused(String line, Runnable atDebug) {
        long now = clock.millis();
        long allowed = nextInfoMillis.get();
        if (now < allowed || !nextInfoMillis.compareAndSet(allowed, now + INTERVAL.toMillis())) {
            heldBack.incrementAndGet();
            atDebug.run();
            return false;
        }
        long held = heldBack.getAndSet(0);
        log.info(held == 0 ? line : line + " (" + held + " more refused since the last such line)");
        return true;
    }
}
