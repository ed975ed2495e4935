package dev.chatwire.core;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An authenticated user, as a {@link dev.chatwire.core.spi.TokenVerifier} vouches for it.
 *
 * @param userId    the user's id
 * @param expiresAt when the credential stops being valid, or {@code null} if it never does
 * @param claims    the token's other claims, for the host's own use; never null
 */
public record Principal(String userId, Instant expiresAt, Map<String, Object> claims) {

    /** Validates every field and freezes the claims. */
    public Principal {
        Validate.notBlank(userId, "userId");
        claims = Map.copyOf(Objects.requireNonNull(claims, "claims"));
    }

    /** A principal with no expiry and no claims, for tests and trusted in-process callers. */
    public static Principal of(String userId) {
        return new Principal(userId, null, Map.of());
    }

    /** The expiry, if the credential has one. */
    public Optional<Instant> expiry() {
        return Optional.ofNullable(expiresAt);
    }
}
