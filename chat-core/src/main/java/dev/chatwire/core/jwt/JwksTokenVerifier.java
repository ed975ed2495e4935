package dev.chatwire.core.jwt;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.auth0.jwt.interfaces.ECDSAKeyProvider;
import com.auth0.jwt.interfaces.RSAKeyProvider;
import dev.chatwire.core.spi.TokenVerification;
import dev.chatwire.core.spi.TokenVerifier;

import java.net.URI;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Objects;

/**
 * A {@link TokenVerifier} for JWTs signed with the keys an identity provider publishes as a JWKS (JSON Web Key Set),
 * fetched with {@code com.auth0:jwks-rsa}, which the host adds: chat-core declares it optional.
 *
 * <p>Made by {@link JwtTokenVerifier#jwks(URI)}. Accepts RS256 and ES256 and nothing else ({@code none} and the HS
 * algorithms never): the token's {@code kid} names the key, and each key is pinned to the algorithm of its type (an
 * RSA key verifies only RS256, a P-256 EC key only ES256; a key whose JWKS entry names another {@code alg}, or whose
 * {@code use} is {@code enc}, is ignored). A token without a {@code kid} is refused. Claims are checked as
 * {@link JwtTokenVerifier} checks them: {@code exp} with a leeway, {@code iss} and {@code aud} when configured.
 *
 * <p>Keys are fetched on first use and cached for {@link Builder#keysMaxAge} (5 minutes by default); a token naming
 * an unknown {@code kid}, as after a key rotation, makes the verifier fetch the set again, but at most once per
 * {@link Builder#minRefreshInterval} (30 s by default), so a flood of made-up key ids does not hammer the key server.
 * Thread-safe. A call that needs a fetch blocks for it (up to {@link Builder#timeout} to connect and again to read);
 * when no key was ever fetched and the key server cannot be reached, {@link #verify} throws
 * {@link dev.chatwire.core.spi.UnavailableException}. A failed refresh keeps the keys already known.
 *
 * <pre>{@code
 * TokenVerifier tokens = JwtTokenVerifier.jwks(URI.create("https://auth.example.com/.well-known/jwks.json"))
 *         .issuer("https://auth.example.com/")
 *         .audience("chat")
 *         .build();
 * }</pre>
 */
public final class JwksTokenVerifier implements TokenVerifier {

    private final JwksKeySet keys;
    private final JwtTokenVerifier rs256;
    private final JwtTokenVerifier es256;

    private JwksTokenVerifier(Builder builder, JwksKeySet keys) {
        this.keys = keys;
        this.rs256 = JwtTokenVerifier.pinnedTo(Algorithm.RSA256(new RsaKeys(keys)), builder);
        this.es256 = JwtTokenVerifier.pinnedTo(Algorithm.ECDSA256(new EcKeys(keys)), builder);
    }

    /** Starts a verifier for tokens signed with the keys published at this JWKS URI; requires jwks-rsa. */
    static Builder builder(URI jwksUri) {
        return new Builder(Objects.requireNonNull(jwksUri, "jwksUri"));
    }

    @Override
    public TokenVerification verify(String token) {
        DecodedJWT jwt;
        try {
            jwt = JWT.decode(token);
        } catch (JWTDecodeException e) {
            return TokenVerification.refused("malformed token");
        }
        String alg = jwt.getAlgorithm();
        Class<? extends PublicKey> keyType;
        JwtTokenVerifier verifier;
        if ("RS256".equals(alg)) {
            keyType = RSAPublicKey.class;
            verifier = rs256;
        } else if ("ES256".equals(alg)) {
            keyType = ECPublicKey.class;
            verifier = es256;
        } else {
            return TokenVerification.refused("algorithm not accepted");
        }
        if (jwt.getKeyId() == null) {
            return TokenVerification.refused("no key id");
        }
        if (keys.key(jwt.getKeyId(), keyType) == null) {
            return TokenVerification.refused("unknown key id");
        }
        return verifier.verify(token);
    }

    @Override
    public Duration leeway() {
        return rs256.leeway();
    }

    private record RsaKeys(JwksKeySet keys) implements RSAKeyProvider {
        @Override
        public RSAPublicKey getPublicKeyById(String kid) {
            return keys.key(kid, RSAPublicKey.class);
        }

        @Override
        public RSAPrivateKey getPrivateKey() {
            return null;
        }

        @Override
        public String getPrivateKeyId() {
            return null;
        }
    }

    private record EcKeys(JwksKeySet keys) implements ECDSAKeyProvider {
        @Override
        public ECPublicKey getPublicKeyById(String kid) {
            return keys.key(kid, ECPublicKey.class);
        }

        @Override
        public ECPrivateKey getPrivateKey() {
            return null;
        }

        @Override
        public String getPrivateKeyId() {
            return null;
        }
    }

    /**
     * Configures a {@link JwksTokenVerifier}: the claim settings of {@link ClaimRules}, which mean what they mean on
     * {@link JwtTokenVerifier.Builder}, and the key settings, which say how often the key set is fetched.
     */
    public static final class Builder extends ClaimRules<Builder> {
        private final URI jwksUri;
        private Duration keysMaxAge = Duration.ofMinutes(5);
        private Duration minRefreshInterval = Duration.ofSeconds(30);
        private Duration timeout = Duration.ofSeconds(5);

        private Builder(URI jwksUri) {
            this.jwksUri = jwksUri;
        }

        /**
         * How long fetched keys are used before the next token makes the verifier fetch them again;
         * 5 minutes by default.
         */
        public Builder keysMaxAge(Duration maxAge) {
            this.keysMaxAge = positive(maxAge, "keysMaxAge");
            return this;
        }

        /**
         * The least time between two fetches of the key set, however many tokens name an unknown {@code kid}; 30 s by
         * default. A key rotation is seen at most this long after the first token signed with the new key.
         */
        public Builder minRefreshInterval(Duration interval) {
            this.minRefreshInterval = positive(interval, "minRefreshInterval");
            return this;
        }

        /** How long a fetch may take to connect, and again to read the key set; 5 s by default. */
        public Builder timeout(Duration timeout) {
            this.timeout = positive(timeout, "timeout");
            return this;
        }

        private static Duration positive(Duration duration, String name) {
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return duration;
        }

        /** Asked here, not in {@link UrlJwksSource}: loading that class is what fails without jwks-rsa. */
        private static boolean jwksRsaPresent() {
            try {
                Class.forName("com.auth0.jwk.UrlJwkProvider", false, JwksTokenVerifier.class.getClassLoader());
                return true;
            } catch (ClassNotFoundException e) {
                return false;
            }
        }

        /**
         * Builds the verifier; fetches nothing yet.
         *
         * @throws IllegalStateException when {@code com.auth0:jwks-rsa} is not on the class path
         * @throws IllegalArgumentException when the URI is not a URL
         */
        @Override
        public JwksTokenVerifier build() {
            if (!jwksRsaPresent()) {
                throw new IllegalStateException("verifying tokens against a JWKS URI needs com.auth0:jwks-rsa on the "
                        + "class path: add it to your dependencies");
            }
            return new JwksTokenVerifier(this, new JwksKeySet(new UrlJwksSource(jwksUri, timeout), clock,
                    keysMaxAge, minRefreshInterval));
        }
    }
}
