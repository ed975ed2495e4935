package dev.chatwire.core.spi;

import dev.chatwire.core.Principal;

import java.util.Objects;

/** The outcome of {@link TokenVerifier#verify}: a principal, or the reason the token was refused. */
public sealed interface TokenVerification {

    /** The token is good and names this principal. */
    record Accepted(Principal principal) implements TokenVerification {
        /** Requires a principal. */
        public Accepted {
            Objects.requireNonNull(principal, "principal");
        }
    }

    /** The token was refused; {@code reason} is for logs and must never contain the token itself. */
    record Refused(String reason) implements TokenVerification {
        /** Requires a reason. */
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Shorthand for {@code new Accepted(principal)}. */
    static TokenVerification accepted(Principal principal) {
        return new Accepted(principal);
    }

    /** Shorthand for {@code new Refused(reason)}. */
    static TokenVerification refused(String reason) {
        return new Refused(reason);
    }
}
