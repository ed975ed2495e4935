package dev.chatwire.benchmark;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

/** Counts what went wrong in a run (failed calls, error frames, unexpected closes) and logs the first few. */
final class Problems {

    private static final Logger log = LoggerFactory.getLogger(Problems.class);
    private static final int LOGGED = 5;

    private final String label;
    private final AtomicLong count = new AtomicLong();

    Problems(String label) {
        this.label = label;
    }

    /** Counts a problem, logging it if it is among the first few. */
    void add(String what) {
        if (count.incrementAndGet() <= LOGGED) {
            log.warn("{}: {}", label, what);
        }
    }

    long count() {
        return count.get();
    }
}
