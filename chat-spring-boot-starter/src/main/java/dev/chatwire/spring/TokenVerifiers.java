package dev.chatwire.spring;

import dev.chatwire.core.jwt.ClaimRules;
import dev.chatwire.core.jwt.JwtTokenVerifier;
import dev.chatwire.core.spi.TokenVerifier;

/** Builds the token verifier that the {@code chatwire.jwt.*} properties describe. */
final class TokenVerifiers {

    private TokenVerifiers() {
    }

    static TokenVerifier fromProperties(ChatwireProperties.Jwt jwt) {
        boolean hasSecret = jwt.getSecret() != null && !jwt.getSecret().isBlank();
        if (hasSecret && jwt.getJwksUri() != null) {
            throw new IllegalStateException("both chatwire.jwt.secret and chatwire.jwt.jwks-uri are set: set the "
                    + "secret for HS256 tokens or the JWKS URI for an identity provider's RS256/ES256 tokens, "
                    + "not both");
        }
        if (jwt.getJwksUri() == null && !hasSecret) {
            throw new IllegalStateException("chatwire.jwt.secret is not set: set it to the HS256 secret (32 bytes or "
                    + "more) your tokens are signed with, or set chatwire.jwt.jwks-uri to your identity provider's "
                    + "JWKS, or define a TokenVerifier bean");
        }
        ClaimRules<?> builder = jwt.getJwksUri() != null
                ? JwtTokenVerifier.jwks(jwt.getJwksUri())
                : JwtTokenVerifier.hs256(jwt.getSecret());
        builder.leeway(jwt.getLeeway()).userIdClaim(jwt.getUserIdClaim());
        if (jwt.getIssuer() != null) {
            builder.issuer(jwt.getIssuer());
        }
        if (jwt.getAudience() != null) {
            builder.audience(jwt.getAudience());
        }
        if (jwt.getMaxLifetime() != null) {
            builder.maxLifetime(jwt.getMaxLifetime());
        }
        return builder.build();
    }
}
