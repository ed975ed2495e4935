package dev.chatwire.core.jwt;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.AlgorithmMismatchException;
import com.auth0.jwt.exceptions.IncorrectClaimException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.MissingClaimException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;
import dev.chatwire.core.Principal;
import dev.chatwire.core.spi.TokenVerification;
import dev.chatwire.core.spi.TokenVerifier;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link TokenVerifier} for JWTs, on auth0 java-jwt.
 *
 * <p>The algorithm is pinned when the verifier is built ({@link #hs256}, {@link #rs256}, {@link #es256}); a token
 * whose header names another algorithm, including {@code none}, is refused, so a client can never choose how its
 * token is checked. {@code exp} is required by default and checked with a leeway (default 30 s), as is {@code nbf};
 * {@code iss} and {@code aud} are checked when configured. The user id comes from {@code sub} unless another claim is
 * configured. With {@link ClaimRules#maxLifetime} set, {@code iat} is required too and a token living longer is
 * refused. Refusal reasons never contain the token. Thread-safe; does no I/O.
 *
 * <p>Accepted tokens are remembered (up to {@link ClaimRules#cacheSize}, 4,096 by default) until they expire, so a
 * client that presents the same token on every REST call pays for the signature check once: the cache is keyed by the
 * whole token string, signature included, so only a byte-identical token hits it, and a hit is checked against
 * {@code exp} and the leeway again. Refusals are never remembered.
 *
 * <pre>{@code
 * TokenVerifier tokens = JwtTokenVerifier.hs256(secret).issuer("https://auth.example.com").build();
 * }</pre>
 */
public final class JwtTokenVerifier implements TokenVerifier {

    private static final int MIN_HMAC_SECRET_BYTES = 32;

    private final JWTVerifier verifier;
    private final String userIdClaim;
    private final boolean requireExpiry;
    private final Clock clock;
    private final Duration leeway;
    private final int cacheSize;
    private final Duration maxLifetime;
    private final Map<String, TokenVerification.Accepted> accepted = new ConcurrentHashMap<>();

    private JwtTokenVerifier(Algorithm algorithm, ClaimRules<?> rules) {
        var verification = JWT.require(algorithm).acceptLeeway(rules.leeway.toSeconds());
        if (rules.issuer != null) {
            verification.withIssuer(rules.issuer);
        }
        if (rules.audience != null) {
            verification.withAudience(rules.audience);
        }
        if (rules.requireExpiry) {
            verification.withClaimPresence("exp");
        }
        verification.withClaimPresence(rules.userIdClaim);
        this.verifier = ((JWTVerifier.BaseVerification) verification).build(rules.clock);
        this.userIdClaim = rules.userIdClaim;
        this.requireExpiry = rules.requireExpiry;
        this.clock = rules.clock;
        // java-jwt counts the leeway in whole seconds; the cache must not accept longer than it would.
        this.leeway = Duration.ofSeconds(rules.leeway.toSeconds());
        this.cacheSize = rules.cacheSize;
        this.maxLifetime = rules.maxLifetime;
    }

    /** Starts a verifier for HMAC-SHA256 tokens signed with this secret (at least 32 bytes). */
    public static Builder hs256(byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < MIN_HMAC_SECRET_BYTES) {
            throw new IllegalArgumentException("an HS256 secret needs at least 32 bytes");
        }
        return new Builder(Algorithm.HMAC256(secret));
    }

    /** Starts a verifier for HMAC-SHA256 tokens signed with this secret's UTF-8 bytes (at least 32 bytes). */
    public static Builder hs256(String secret) {
        return hs256(Objects.requireNonNull(secret, "secret").getBytes(StandardCharsets.UTF_8));
    }

    /** Starts a verifier for RSA-SHA256 tokens signed by the holder of this public key's private key. */
    public static Builder rs256(RSAPublicKey publicKey) {
        return new Builder(Algorithm.RSA256(Objects.requireNonNull(publicKey, "publicKey"), null));
    }

    /** Starts a verifier for ECDSA P-256 SHA-256 tokens signed by the holder of this public key's private key. */
    public static Builder es256(ECPublicKey publicKey) {
        return new Builder(Algorithm.ECDSA256(Objects.requireNonNull(publicKey, "publicKey"), null));
    }

    /**
     * Starts a verifier for RS256 and ES256 tokens signed with the keys an identity provider publishes at this JWKS
     * URI, cached and refreshed as {@link JwksTokenVerifier} says; needs {@code com.auth0:jwks-rsa} on the class path.
     */
    public static JwksTokenVerifier.Builder jwks(URI jwksUri) {
        return JwksTokenVerifier.builder(jwksUri);
    }

    /** A verifier pinned to this algorithm, for {@link JwksTokenVerifier}'s key-provider algorithms. */
    static JwtTokenVerifier pinnedTo(Algorithm algorithm, ClaimRules<?> rules) {
        return new JwtTokenVerifier(algorithm, rules);
    }

    /** The leeway, in the whole seconds java-jwt counts it in. */
    @Override
    public Duration leeway() {
        return leeway;
    }

    @Override
    public TokenVerification verify(String token) {
        TokenVerification.Accepted remembered = accepted.get(token);
        if (remembered != null) {
            if (!expired(remembered.principal())) {
                return remembered;
            }
            accepted.remove(token);
        }
        TokenVerification verification = verifySignatureAndClaims(token);
        if (verification instanceof TokenVerification.Accepted fresh && cacheSize > 0) {
            if (accepted.size() >= cacheSize) {
                // Crude but bounded: a full cache starts over, and each token then pays one signature check again.
                accepted.clear();
            }
            accepted.put(token, fresh);
        }
        return verification;
    }

    private boolean expired(Principal principal) {
        Instant expiresAt = principal.expiresAt();
        return expiresAt != null && clock.instant().isAfter(expiresAt.plus(leeway));
    }

    private TokenVerification verifySignatureAndClaims(String token) {
        DecodedJWT jwt;
        try {
            jwt = verifier.verify(token);
        } catch (AlgorithmMismatchException e) {
            return TokenVerification.refused("algorithm not accepted");
        } catch (SignatureVerificationException e) {
            return TokenVerification.refused("bad signature");
        } catch (TokenExpiredException e) {
            return TokenVerification.refused("token expired");
        } catch (MissingClaimException e) {
            return TokenVerification.refused("missing claim '" + e.getClaimName() + "'");
        } catch (IncorrectClaimException e) {
            return TokenVerification.refused("claim '" + e.getClaimName() + "' not accepted");
        } catch (JWTVerificationException e) {
            return TokenVerification.refused("malformed token");
        }
        String userId = jwt.getClaim(userIdClaim).asString();
        if (userId == null || userId.isBlank()) {
            return TokenVerification.refused("claim '" + userIdClaim + "' is not a user id");
        }
        Instant expiresAt = jwt.getExpiresAtAsInstant();
        if (expiresAt == null && requireExpiry) {
            // java-jwt's presence check counts "exp":null as present, which would make the token live for ever.
            return TokenVerification.refused("missing claim 'exp'");
        }
        if (maxLifetime != null) {
            Optional<String> tooLong = lifetimeProblem(jwt.getIssuedAtAsInstant(), expiresAt);
            if (tooLong.isPresent()) {
                return TokenVerification.refused(tooLong.get());
            }
        }
        return TokenVerification.accepted(new Principal(userId, expiresAt, claims(jwt)));
    }

    /** Why a token outlives {@link ClaimRules#maxLifetime}, or empty if it does not. */
    private Optional<String> lifetimeProblem(Instant issuedAt, Instant expiresAt) {
        if (expiresAt == null) {
            return Optional.of("missing claim 'exp' (a maximum token lifetime is set)");
        }
        if (issuedAt == null) {
            return Optional.of("missing claim 'iat' (a maximum token lifetime is set)");
        }
        if (Duration.between(issuedAt, expiresAt).compareTo(maxLifetime) > 0) {
            return Optional.of("token lifetime exceeds the maximum of " + maxLifetime);
        }
        if (Duration.between(clock.instant(), expiresAt).compareTo(maxLifetime) > 0) {
            return Optional.of("token expires further ahead than the maximum lifetime of " + maxLifetime);
        }
        return Optional.empty();
    }

    private static Map<String, Object> claims(DecodedJWT jwt) {
        Map<String, Object> claims = new HashMap<>();
        for (Map.Entry<String, Claim> entry : jwt.getClaims().entrySet()) {
            Object value = entry.getValue().as(Object.class);
            if (value != null) {
                claims.put(entry.getKey(), unmodifiable(value));
            }
        }
        return claims;
    }

    /** Nested claims made read-only: a remembered principal is shared by every request that presents its token. */
    private static Object unmodifiable(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((key, nested) -> copy.put(key, unmodifiable(nested)));
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(nested -> copy.add(unmodifiable(nested)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }

    /**
     * Configures a {@link JwtTokenVerifier}: the claim settings of {@link ClaimRules}; the algorithm and key are fixed
     * by the factory that made it.
     */
    public static final class Builder extends ClaimRules<Builder> {
        private final Algorithm algorithm;

        private Builder(Algorithm algorithm) {
            this.algorithm = algorithm;
        }

        /** Builds the verifier. */
        @Override
        public JwtTokenVerifier build() {
            return new JwtTokenVerifier(algorithm, this);
        }
    }
}
