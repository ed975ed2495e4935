package dev.chatwire.core.jwt;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import com.sun.net.httpserver.HttpServer;
import dev.chatwire.core.MutableClock;
import dev.chatwire.core.spi.TokenVerification;
import dev.chatwire.core.spi.TokenVerifier;
import dev.chatwire.core.spi.UnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Against a JWKS endpoint this test serves itself on a free port, counting the requests it gets. */
class JwksTokenVerifierTest {

    private static final String ISSUER = "https://auth.example.com/";
    private static final String AUDIENCE = "chat";

    private static final KeyPair RSA_1 = generate("RSA", null);
    private static final KeyPair RSA_2 = generate("RSA", null);
    private static final KeyPair EC_1 = generate("EC", "secp256r1");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
    private final AtomicReference<String> published = new AtomicReference<>();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile boolean down;
    private HttpServer server;
    private URI jwksUri;

    @BeforeEach
    void serveJwks() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/.well-known/jwks.json", exchange -> {
            requests.incrementAndGet();
            byte[] body = published.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(down ? 503 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
        jwksUri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json");
        publish(rsaJwk("rsa-1", RSA_1, null), ecJwk("ec-1", EC_1, null));
    }

    @AfterEach
    void stop() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }

    private TokenVerifier verifier() {
        return JwtTokenVerifier.jwks(jwksUri).issuer(ISSUER).audience(AUDIENCE).clock(clock).build();
    }

    @Test
    void acceptsRs256AndEs256TokensSignedWithPublishedKeysFetchingTheSetOnce() {
        TokenVerifier tokens = verifier();

        assertThat(tokens.verify(rs256("rsa-1", RSA_1, claims()))).isInstanceOf(TokenVerification.Accepted.class);
        assertThat(tokens.verify(es256("ec-1", EC_1, claims()))).isInstanceOf(TokenVerification.Accepted.class);
        TokenVerification accepted = tokens.verify(rs256("rsa-1", RSA_1, claims().withSubject("bob")));
        assertThat(((TokenVerification.Accepted) accepted).principal().userId()).isEqualTo("bob");

        assertThat(requests).hasValue(1);
    }

    @Test
    void aRotatedInKeyIsAcceptedOnceTheRefreshIntervalAllowsAFetch() {
        TokenVerifier tokens = verifier();
        assertThat(tokens.verify(rs256("rsa-1", RSA_1, claims()))).isInstanceOf(TokenVerification.Accepted.class);

        publish(rsaJwk("rsa-1", RSA_1, "RS256"), rsaJwk("rsa-2", RSA_2, "RS256"));
        String rotated = rs256("rsa-2", RSA_2, claims());
        assertThat(tokens.verify(rotated)).isEqualTo(TokenVerification.refused("unknown key id"));
        assertThat(requests).hasValue(1);

        clock.advance(Duration.ofSeconds(30));

        assertThat(tokens.verify(rotated)).isInstanceOf(TokenVerification.Accepted.class);
        assertThat(requests).hasValue(2);
        assertThat(tokens.verify(rs256("rsa-1", RSA_1, claims()))).isInstanceOf(TokenVerification.Accepted.class);
        assertThat(requests).hasValue(2);
    }

    @Test
    void aFirstUnknownKidTriggersARefreshWhenTheLastFetchIsOldEnough() {
        TokenVerifier tokens = verifier();
        assertThat(tokens.verify(rs256("rsa-1", RSA_1, claims()))).isInstanceOf(TokenVerification.Accepted.class);
        publish(rsaJwk("rsa-2", RSA_2, null));
        clock.advance(Duration.ofSeconds(31));

        assertThat(tokens.verify(rs256("rsa-2", RSA_2, claims()))).isInstanceOf(TokenVerification.Accepted.class);
        assertThat(requests).hasValue(2);
    }

    @Test
    void aFloodOfUnknownKidsFromEightThreadsFetchesTheSetOncePerInterval() throws Exception {
        TokenVerifier tokens = verifier();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 1; round <= 3; round++) {
                List<Future<TokenVerification>> results = new ArrayList<>();
                for (int i = 0; i < 400; i++) {
                    // What a flood looks like: made-up key ids, and signatures nobody computed.
                    String token = b64("{\"alg\":\"RS256\",\"kid\":\"made-up-" + round + "-" + i + "\"}")
                            + "." + b64("{\"sub\":\"alice\"}") + "." + b64("not a signature");
                    results.add(pool.submit(() -> tokens.verify(token)));
                }
                for (Future<TokenVerification> result : results) {
                    assertThat(result.get()).isEqualTo(TokenVerification.refused("unknown key id"));
                }
                assertThat(requests).hasValue(round);
                clock.advance(Duration.ofSeconds(30));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void eachKeyVerifiesOnlyTheAlgorithmOfItsType() throws GeneralSecurityException {
        TokenVerifier tokens = verifier();

        // An ES256 token naming the RSA key, and an RS256 one naming the EC key.
        assertThat(tokens.verify(es256("rsa-1", EC_1, claims())))
                .isEqualTo(TokenVerification.refused("unknown key id"));
        assertThat(tokens.verify(rs256("ec-1", RSA_1, claims())))
                .isEqualTo(TokenVerification.refused("unknown key id"));
        // The classic confusion: HS256 keyed with the published RSA public key.
        String hs = claims().withKeyId("rsa-1").sign(Algorithm.HMAC256(RSA_1.getPublic().getEncoded()));
        assertThat(tokens.verify(hs)).isEqualTo(TokenVerification.refused("algorithm not accepted"));
        String none = claims().withKeyId("rsa-1").sign(Algorithm.none());
        assertThat(tokens.verify(none)).isEqualTo(TokenVerification.refused("algorithm not accepted"));
        String[] parts = rs256("rsa-1", RSA_1, claims()).split("\\.");
        String stripped = b64("{\"alg\":\"none\",\"kid\":\"rsa-1\"}") + "." + parts[1] + ".";
        assertThat(tokens.verify(stripped)).isEqualTo(TokenVerification.refused("algorithm not accepted"));
        // A token signed by a key the set does not hold, under a kid it does.
        assertThat(tokens.verify(rs256("rsa-1", RSA_2, claims())))
                .isEqualTo(TokenVerification.refused("bad signature"));
        assertThat(tokens.verify(JWT.create().withSubject("alice").withIssuer(ISSUER).withAudience(AUDIENCE)
                .withExpiresAt(clock.instant().plusSeconds(60))
                .sign(Algorithm.RSA256(null, (RSAPrivateKey) RSA_1.getPrivate()))))
                .isEqualTo(TokenVerification.refused("no key id"));
    }

    @Test
    void aKeyWhoseJwkNamesAnotherAlgorithmIsIgnored() {
        publish(rsaJwk("rsa-1", RSA_1, "RS512"), ecJwk("ec-1", EC_1, "RS256"));
        TokenVerifier tokens = verifier();

        assertThat(tokens.verify(rs256("rsa-1", RSA_1, claims())))
                .isEqualTo(TokenVerification.refused("unknown key id"));
        assertThat(tokens.verify(es256("ec-1", EC_1, claims()))).isEqualTo(TokenVerification.refused("unknown key id"));
    }

    @Test
    void issuerAudienceAndExpiryAreChecked() {
        TokenVerifier tokens = verifier();

        assertThat(tokens.verify(rs256("rsa-1", RSA_1, claims().withIssuer("https://evil.example.com/"))))
                .isEqualTo(TokenVerification.refused("claim 'iss' not accepted"));
        assertThat(tokens.verify(rs256("rsa-1", RSA_1, claims().withAudience("billing"))))
                .isEqualTo(TokenVerification.refused("claim 'aud' not accepted"));
        assertThat(tokens.verify(rs256("rsa-1", RSA_1, claims().withExpiresAt(clock.instant().minusSeconds(31)))))
                .isEqualTo(TokenVerification.refused("token expired"));
        assertThat(tokens.verify(rs256("rsa-1", RSA_1, claims().withExpiresAt(clock.instant().minusSeconds(29)))))
                .isInstanceOf(TokenVerification.Accepted.class);
        assertThat(tokens.leeway()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aMaximumLifetimeIsCheckedForRs256AndEs256Tokens() {
        TokenVerifier tokens = JwtTokenVerifier.jwks(jwksUri).issuer(ISSUER).audience(AUDIENCE).clock(clock)
                .maxLifetime(Duration.ofMinutes(15)).build();
        Instant now = clock.instant();

        assertThat(tokens.verify(rs256("rsa-1", RSA_1, claims().withIssuedAt(now)
                .withExpiresAt(now.plus(Duration.ofMinutes(15)))))).isInstanceOf(TokenVerification.Accepted.class);
        assertThat(tokens.verify(es256("ec-1", EC_1, claims().withIssuedAt(now)
                .withExpiresAt(now.plus(Duration.ofMinutes(15)))))).isInstanceOf(TokenVerification.Accepted.class);
        assertThat(tokens.verify(rs256("rsa-1", RSA_1, claims().withIssuedAt(now))))
                .isEqualTo(TokenVerification.refused("token lifetime exceeds the maximum of PT15M"));
        assertThat(tokens.verify(es256("ec-1", EC_1, claims().withIssuedAt(now))))
                .isEqualTo(TokenVerification.refused("token lifetime exceeds the maximum of PT15M"));
        assertThat(tokens.verify(rs256("rsa-1", RSA_1, claims().withExpiresAt(now.plusSeconds(60)))))
                .isEqualTo(TokenVerification.refused("missing claim 'iat' (a maximum token lifetime is set)"));
    }

    @Test
    void anUnreachableKeyServerIsUnavailableUntilTheFirstFetchAndLaterKeepsTheKnownKeys() {
        down = true;
        TokenVerifier tokens = verifier();
        String token = rs256("rsa-1", RSA_1, claims());

        assertThatThrownBy(() -> tokens.verify(token)).isInstanceOf(UnavailableException.class);
        assertThatThrownBy(() -> tokens.verify(token)).isInstanceOf(UnavailableException.class);
        assertThat(requests).hasValue(1);

        down = false;
        clock.advance(Duration.ofSeconds(30));
        assertThat(tokens.verify(token)).isInstanceOf(TokenVerification.Accepted.class);

        down = true;
        clock.advance(Duration.ofMinutes(6));
        assertThat(tokens.verify(rs256("rsa-1", RSA_1, claims()))).isInstanceOf(TokenVerification.Accepted.class);
        assertThat(requests).hasValue(3);
    }

    @Test
    void keysOlderThanTheirMaxAgeAreFetchedAgainSoARemovedKeyStopsVerifying() {
        TokenVerifier tokens = JwtTokenVerifier.jwks(jwksUri).clock(clock).keysMaxAge(Duration.ofMinutes(1)).build();
        assertThat(tokens.verify(rs256("rsa-1", RSA_1, claims()))).isInstanceOf(TokenVerification.Accepted.class);
        publish(ecJwk("ec-1", EC_1, null));

        clock.advance(Duration.ofSeconds(59));
        assertThat(tokens.verify(rs256("rsa-1", RSA_1, claims()))).isInstanceOf(TokenVerification.Accepted.class);
        clock.advance(Duration.ofSeconds(1));

        assertThat(tokens.verify(rs256("rsa-1", RSA_1, claims())))
                .isEqualTo(TokenVerification.refused("unknown key id"));
        assertThat(requests).hasValue(2);
    }

    // Each token gets a distinct jti, so that no test passes on the verifier's cache of accepted tokens.
    private static final AtomicInteger JTI = new AtomicInteger();

    private JWTCreator.Builder claims() {
        return JWT.create().withSubject("alice").withIssuer(ISSUER).withAudience(AUDIENCE)
                .withJWTId(Integer.toString(JTI.incrementAndGet())).withExpiresAt(clock.instant().plusSeconds(3600));
    }

    private static String rs256(String kid, KeyPair pair, JWTCreator.Builder claims) {
        return claims.withKeyId(kid).sign(Algorithm.RSA256(null, (RSAPrivateKey) pair.getPrivate()));
    }

    private static String es256(String kid, KeyPair pair, JWTCreator.Builder claims) {
        return claims.withKeyId(kid).sign(Algorithm.ECDSA256(null, (ECPrivateKey) pair.getPrivate()));
    }

    private void publish(String... jwks) {
        published.set("{\"keys\":[" + String.join(",", jwks) + "]}");
    }

    private static String rsaJwk(String kid, KeyPair pair, String alg) {
        RSAPublicKey key = (RSAPublicKey) pair.getPublic();
        return "{\"kty\":\"RSA\",\"kid\":\"" + kid + "\",\"use\":\"sig\""
                + (alg == null ? "" : ",\"alg\":\"" + alg + "\"")
                + ",\"n\":\"" + b64(unsigned(key.getModulus(), 0)) + "\",\"e\":\""
                + b64(unsigned(key.getPublicExponent(), 0)) + "\"}";
    }

    private static String ecJwk(String kid, KeyPair pair, String alg) {
        ECPublicKey key = (ECPublicKey) pair.getPublic();
        return "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"" + kid + "\""
                + (alg == null ? "" : ",\"alg\":\"" + alg + "\"")
                + ",\"x\":\"" + b64(unsigned(key.getW().getAffineX(), 32)) + "\",\"y\":\""
                + b64(unsigned(key.getW().getAffineY(), 32)) + "\"}";
    }

    /** The big-endian magnitude without a sign byte, left-padded to {@code length} bytes when that is more. */
    private static byte[] unsigned(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        if (bytes.length >= length) {
            return bytes;
        }
        byte[] padded = new byte[length];
        System.arraycopy(bytes, 0, padded, length - bytes.length, bytes.length);
        return padded;
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String b64(String json) {
        return b64(json.getBytes(StandardCharsets.UTF_8));
    }

    private static KeyPair generate(String algorithm, String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (curve != null) {
                generator.initialize(new ECGenParameterSpec(curve));
            } else {
                generator.initialize(2048);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
