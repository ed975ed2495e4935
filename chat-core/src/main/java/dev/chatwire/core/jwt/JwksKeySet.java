package dev.chatwire.core.jwt;

import dev.chatwire.core.spi.UnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * An identity provider's published keys, cached: fetched on first use, fetched again when a token names a {@code kid}
 * the cache lacks or when the cache is older than its maximum age, but never more than once per minimum refresh
 * interval, so a flood of tokens with made-up key ids costs the key server one request per interval.
 *
 * <p>Thread-safe. A lookup that needs a fetch blocks on it; lookups that need one while it runs wait for the same
 * fetch rather than starting their own, and no lock is held while it runs. A failed fetch keeps the keys already known
 * (a stale key still verifies) and is not retried before the interval has passed.
 */
final class JwksKeySet {

    private static final Logger log = LoggerFactory.getLogger(JwksKeySet.class);

    private final Supplier<Map<String, PublicKey>> source;
    private final Clock clock;
    private final Duration maxAge;
    private final Duration minRefreshInterval;

    private volatile Snapshot snapshot = new Snapshot(Map.of(), null);
    private Instant lastAttempt;                    // guarded by this
    private CompletableFuture<Snapshot> inFlight;   // guarded by this

    /** The keys of one successful fetch, by {@code kid}; {@code fetchedAt} is null until the first one. */
    private record Snapshot(Map<String, PublicKey> keys, Instant fetchedAt) {
    }

    JwksKeySet(Supplier<Map<String, PublicKey>> source, Clock clock, Duration maxAge, Duration minRefreshInterval) {
        this.source = source;
        this.clock = clock;
        this.maxAge = maxAge;
        this.minRefreshInterval = minRefreshInterval;
    }

    /**
     * The key with this id if it has this type, else null: an RS256 token naming an EC key's id finds nothing, which
     * pins each key to the algorithm of its type.
     *
     * @throws UnavailableException when the keys were never fetched and the key server cannot be reached
     */
    <K extends PublicKey> K key(String kid, Class<K> type) {
        if (kid == null) {
            return null;
        }
        Snapshot current = snapshot;
        PublicKey key = current.keys().get(kid);
        if (key == null || stale(current)) {
            key = refreshed(current).keys().get(kid);
        }
        return type.isInstance(key) ? type.cast(key) : null;
    }

    private boolean stale(Snapshot current) {
        return current.fetchedAt() == null || !clock.instant().isBefore(current.fetchedAt().plus(maxAge));
    }

    private Snapshot refreshed(Snapshot current) {
        CompletableFuture<Snapshot> fetch;
        boolean mine = false;
        synchronized (this) {
            Instant now = clock.instant();
            if (inFlight != null) {
                fetch = inFlight;
            } else if (lastAttempt != null && now.isBefore(lastAttempt.plus(minRefreshInterval))) {
                // The newest keys, which another thread may have fetched since this one read its snapshot.
                return usable(snapshot, null);
            } else {
                lastAttempt = now;
                fetch = new CompletableFuture<>();
                inFlight = fetch;
                mine = true;
            }
        }
        if (mine) {
            fetch(fetch);
        }
        try {
            return fetch.join();
        } catch (CompletionException e) {
            return usable(current, e.getCause());
        }
    }

    private void fetch(CompletableFuture<Snapshot> fetch) {
        try {
            Snapshot fetched = new Snapshot(Map.copyOf(source.get()), clock.instant());
            snapshot = fetched;
            fetch.complete(fetched);
        } catch (RuntimeException e) {
            fetch.completeExceptionally(e);
        } finally {
            synchronized (this) {
                inFlight = null;
            }
        }
    }

    private static String reason(Throwable failure) {
        Throwable cause = failure.getCause();
        return cause == null ? String.valueOf(failure.getMessage()) : failure.getMessage() + ": " + cause.getMessage();
    }

    /** The keys we have when no fresh ones can be had: stale ones if any fetch ever succeeded. */
    private Snapshot usable(Snapshot current, Throwable failure) {
        if (current.fetchedAt() == null) {
            throw failure instanceof UnavailableException unavailable ? unavailable
                    : new UnavailableException("the JWKS has not been fetched yet", failure);
        }
        if (failure != null) {
            // One line per failed attempt, at most one per refresh interval; the stack trace only at DEBUG.
            log.warn("JWKS refresh failed ({}); keeping the {} keys fetched at {}", reason(failure),
                    current.keys().size(), current.fetchedAt());
            log.debug("JWKS refresh failure", failure);
        }
        return current;
    }
}
