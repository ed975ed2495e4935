package dev.chatwire.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** When to replace a token over the open socket: a lead before its expiry, or half its remaining life if shorter. */
final class RefreshTiming {

    private RefreshTiming() {
    }

    /** How long from {@code now} until the token should be replaced; empty if it has no known or future expiry. */
    static Optional<Duration> refreshIn(String token, Instant now, Duration lead) {
        Optional<Instant> expiry = JwtExpiry.of(token);
        if (expiry.isEmpty() || !expiry.get().isAfter(now)) {
            return Optional.empty();
        }
        Duration remaining = Duration.between(now, expiry.get());
        Duration half = remaining.dividedBy(2);
        return Optional.of(remaining.minus(lead.compareTo(half) < 0 ? lead : half));
    }

    /**
     * Whether a fresh token expires later than the one it replaces. If it does not, refreshing again would only ask
     * the supplier ever more often; the server's 4402 at expiry and the reconnect's fresh token take over instead.
     */
    static boolean outlives(String fresh, String old) {
        Optional<Instant> freshExpiry = JwtExpiry.of(fresh);
        Optional<Instant> oldExpiry = JwtExpiry.of(old);
        return freshExpiry.isPresent() && (oldExpiry.isEmpty() || freshExpiry.get().isAfter(oldExpiry.get()));
    }
}
