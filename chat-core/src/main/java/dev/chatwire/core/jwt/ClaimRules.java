package dev.chatwire.core.jwt;

import dev.chatwire.core.spi.TokenVerifier;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The token settings every JWT verifier builder shares: which claims are checked, against which clock, and how many
 * accepted tokens are remembered. {@link JwtTokenVerifier.Builder} and {@link JwksTokenVerifier.Builder} are the only
 * kinds; code that configures either the same way (as the Spring Boot starter does) can hold a {@code ClaimRules<?>}.
 *
 * <pre>{@code
 * ClaimRules<?> builder = jwksUri != null ? JwtTokenVerifier.jwks(jwksUri) : JwtTokenVerifier.hs256(secret);
 * builder.issuer("https://auth.example.com/").leeway(Duration.ofSeconds(10));
 * TokenVerifier tokens = builder.build();
 * }</pre>
 *
 * @param <B> the builder itself, which every setter returns
 */
public abstract sealed class ClaimRules<B extends ClaimRules<B>>
        permits JwtTokenVerifier.Builder, JwksTokenVerifier.Builder {

    String issuer;
    String audience;
    Duration leeway = Duration.ofSeconds(30);
    String userIdClaim = "sub";
    boolean requireExpiry = true;
    Clock clock = Clock.systemUTC();
    int cacheSize = 4096;
    Duration maxLifetime;

    ClaimRules() {
    }

    /** Accepts only tokens whose {@code iss} is this issuer. */
    public B issuer(String issuer) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        return self();
    }

    /** Accepts only tokens whose {@code aud} includes this audience. */
    public B audience(String audience) {
        this.audience = Objects.requireNonNull(audience, "audience");
        return self();
    }

    /** How far past {@code exp} (or before {@code nbf}) a token is still accepted, for clock skew; 30 s by default. */
    public B leeway(Duration leeway) {
        if (leeway.isNegative()) {
            throw new IllegalArgumentException("leeway must not be negative");
        }
        this.leeway = leeway;
        return self();
    }

    /** The claim holding the user id; {@code sub} by default. */
    public B userIdClaim(String claim) {
        this.userIdClaim = Objects.requireNonNull(claim, "claim");
        return self();
    }

    /** Whether tokens without {@code exp} are refused; {@code true} by default. */
    public B requireExpiry(boolean requireExpiry) {
        this.requireExpiry = requireExpiry;
        return self();
    }

    /**
     * The clock that decides whether a token has expired (and, for a JWKS verifier, how old its keys are); the system
     * clock by default.
     */
    public B clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return self();
    }

    /**
     * How many accepted tokens to remember until they expire, so that a token presented again skips the signature
     * check; 4,096 by default, 0 to check every time.
     */
    public B cacheSize(int cacheSize) {
        if (cacheSize < 0) {
            throw new IllegalArgumentException("cacheSize must not be negative");
        }
        this.cacheSize = cacheSize;
        return self();
    }

    /**
     * The longest a token may live; none by default. When set, a token is refused if it has no {@code iat} or no
     * {@code exp}, if {@code exp - iat} exceeds this, or if its {@code exp} lies further than this from now (a token
     * whose {@code iat} was set a little ahead, within the leeway, to stretch its life). The leeway is not added: set
     * the maximum at least as long as the longest token your issuer mints, plus the skew of its clock.
     */
    public B maxLifetime(Duration maxLifetime) {
        Objects.requireNonNull(maxLifetime, "maxLifetime");
        if (maxLifetime.isNegative() || maxLifetime.isZero()) {
            throw new IllegalArgumentException("maxLifetime must be positive");
        }
        this.maxLifetime = maxLifetime;
        return self();
    }

    /** Builds the verifier. */
    public abstract TokenVerifier build();

    @SuppressWarnings("unchecked") // sealed: B is always the permitted subclass itself
    private B self() {
        return (B) this;
    }
}
