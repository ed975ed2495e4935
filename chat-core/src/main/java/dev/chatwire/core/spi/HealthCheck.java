package dev.chatwire.core.spi;

import java.util.Objects;

/**
 * A cheap check that an adapter's backend answers, for a host's health endpoint; adapters that talk to a server
 * implement it next to their SPI (a MongoDB {@code ping}, a Redis {@code PING}). {@link
 * dev.chatwire.core.ChatEngine#health()} asks every adapter of an engine that implements it.
 *
 * <p>Thread-safe. A check blocks for at most one round trip to the backend, bounded by the client's own timeouts,
 * and reports a failure as {@link Health#down}; it may also throw, which the engine reports as down.
 */
@FunctionalInterface
public interface HealthCheck {

    /** Checks the backend now. */
    Health checkHealth();

    /**
     * An adapter's health.
     *
     * @param up     whether the backend answered as it should
     * @param detail what was checked or what failed, for people; never a secret
     */
    record Health(boolean up, String detail) {
        /** Requires a detail. */
        public Health {
            Objects.requireNonNull(detail, "detail");
        }

        /** The backend answered. */
        public static Health up(String detail) {
            return new Health(true, detail);
        }

        /** The backend failed or did not answer. */
        public static Health down(String detail) {
            return new Health(false, detail);
        }
    }
}
