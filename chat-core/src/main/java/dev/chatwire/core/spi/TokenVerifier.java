package dev.chatwire.core.spi;

import java.time.Duration;

/**
 * Turns a bearer token into a user.
 *
 * <p>Thread-safe; may be called from any thread, concurrently. Should not block on I/O: a verifier that must fetch
 * keys caches them. A token that is forged, expired or otherwise unacceptable is an expected outcome, returned as
 * {@link TokenVerification.Refused}; only an infrastructure failure (a key server that cannot be reached) throws
 * {@link UnavailableException}.
 */
@FunctionalInterface
public interface TokenVerifier {

    /**
     * Verifies a token.
     *
     * @param token the raw token, never null
     * @return the principal it vouches for, or the reason it was refused
     * @throws UnavailableException when the verifier's own dependencies cannot be reached
     */
    TokenVerification verify(String token);

    /**
     * How long past a principal's {@link dev.chatwire.core.Principal#expiresAt() expiresAt} this verifier still
     * accepts its token, for clock skew; the engine keeps a socket open that much longer, so that a token it accepted
     * is not cut off at once. Zero by default.
     */
    default Duration leeway() {
        return Duration.ZERO;
    }
}
