package dev.chatwire.core.jwt;

import com.auth0.jwk.InvalidPublicKeyException;
import com.auth0.jwk.Jwk;
import com.auth0.jwk.SigningKeyNotFoundException;
import com.auth0.jwk.UrlJwkProvider;
import dev.chatwire.core.spi.UnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.MalformedURLException;
import java.net.URI;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Fetches a JWKS document with jwks-rsa and keeps the keys a token may be signed with: RSA keys for RS256 and P-256
 * EC keys for ES256, each under its {@code kid}. Keys for encryption, for other algorithms, or without a {@code kid}
 * are left out. The only class that touches jwks-rsa, so that nothing else needs it on the class path.
 */
final class UrlJwksSource implements Supplier<Map<String, PublicKey>> {

    private static final Logger log = LoggerFactory.getLogger(UrlJwksSource.class);

    private final URI uri;
    private final UrlJwkProvider provider;

    UrlJwksSource(URI uri, Duration timeout) {
        this.uri = uri;
        int millis = Math.toIntExact(timeout.toMillis());
        try {
            this.provider = new UrlJwkProvider(uri.toURL(), millis, millis);
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a JWKS URL: " + uri, e);
        }
    }

    @Override
    public Map<String, PublicKey> get() {
        Map<String, PublicKey> keys = new HashMap<>();
        try {
            for (Jwk jwk : provider.getAll()) {
                PublicKey key = usableKey(jwk);
                if (key != null) {
                    keys.put(jwk.getId(), key);
                }
            }
        } catch (SigningKeyNotFoundException e) {
            throw new UnavailableException("could not fetch the JWKS at " + uri, e);
        }
        return keys;
    }

    private static PublicKey usableKey(Jwk jwk) {
        if (jwk.getId() == null || "enc".equals(jwk.getUsage())) {
            return null;
        }
        PublicKey key;
        try {
            key = jwk.getPublicKey();
        } catch (InvalidPublicKeyException | RuntimeException e) {
            log.debug("JWKS key {} skipped: {}", jwk.getId(), e.getMessage());
            return null;
        }
        String alg = jwk.getAlgorithm();
        if (key instanceof RSAPublicKey && (alg == null || alg.equals("RS256"))) {
            return key;
        }
        if (key instanceof ECPublicKey ec && ec.getParams().getCurve().getField().getFieldSize() == 256
                && (alg == null || alg.equals("ES256"))) {
            return key;
        }
        log.debug("JWKS key {} skipped: not an RS256 or ES256 key", jwk.getId());
        return null;
    }
}
