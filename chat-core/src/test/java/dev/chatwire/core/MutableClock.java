package dev.chatwire.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A UTC clock that stands still until the test moves it; read from any thread, moved by the test's. Public for the
 * tests of other packages.
 */
public final class MutableClock extends Clock {

    private volatile Instant now;

    /** A clock that reads {@code start} until it is moved. */
    public MutableClock(Instant start) {
        this.now = start;
    }

    /** Moves the time forward (or back, for a negative duration). */
    public void advance(Duration by) {
        now = now.plus(by);
    }

    /** Sets the time. */
    public void set(Instant instant) {
        now = instant;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
