package dev.chatwire.core.jwt;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.chatwire.core.MutableClock;
import dev.chatwire.core.Principal;
import dev.chatwire.core.spi.TokenVerification;
import dev.chatwire.core.spi.TokenVerifier;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tokens here are minted by hand (HMAC and RSA signatures computed with the JDK), not by the library under test,
 * except ES256, whose JOSE signature encoding is minted with java-jwt's signer.
 */
class JwtTokenVerifierTest {

    private static final String SECRET = "a-test-secret-that-is-at-least-32-bytes-long";
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final TokenVerifier hs256 = JwtTokenVerifier.hs256(SECRET).clock(CLOCK).build();

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String hmacToken(String headerJson, String payloadJson, byte[] key) throws GeneralSecurityException {
        String signingInput = b64(headerJson) + "." + b64(payloadJson);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return signingInput + "." + b64(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String hs256Token(String payloadJson, String secret) throws GeneralSecurityException {
        return hmacToken("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", payloadJson, secret.getBytes(StandardCharsets.UTF_8));
    }

    private static String rs256Token(String payloadJson, PrivateKey key) throws GeneralSecurityException {
        String signingInput = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + "." + b64(payloadJson);
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(key);
        signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + b64(signature.sign());
    }

    private static String payload(String sub, Instant exp) {
        return "{\"sub\":\"" + sub + "\",\"exp\":" + exp.getEpochSecond() + ",\"role\":\"member\"}";
    }

    private static String refusal(TokenVerification verification) {
        assertThat(verification).isInstanceOf(TokenVerification.Refused.class);
        return ((TokenVerification.Refused) verification).reason();
    }

    private static KeyPair rsaKeys() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    @Test
    void aGoodTokenNamesTheUserWithItsExpiryAndClaims() throws Exception {
        String token = hs256Token(payload("alice", NOW.plusSeconds(600)), SECRET);

        TokenVerification verification = hs256.verify(token);

        assertThat(verification).isInstanceOf(TokenVerification.Accepted.class);
        Principal principal = ((TokenVerification.Accepted) verification).principal();
        assertThat(principal.userId()).isEqualTo("alice");
        assertThat(principal.expiresAt()).isEqualTo(NOW.plusSeconds(600));
        assertThat(principal.claims()).containsEntry("role", "member");
    }

    @Test
    void aTokenSignedWithAnotherSecretIsRefused() throws Exception {
        String forged = hs256Token(payload("alice", NOW.plusSeconds(600)), "another-secret-that-is-also-32-bytes-long");
        assertThat(refusal(hs256.verify(forged))).isEqualTo("bad signature");
    }

    @Test
    void aTamperedPayloadIsRefused() throws Exception {
        String[] parts = hs256Token(payload("alice", NOW.plusSeconds(600)), SECRET).split("\\.");
        String tampered = parts[0] + "." + b64(payload("admin", NOW.plusSeconds(600))) + "." + parts[2];
        assertThat(refusal(hs256.verify(tampered))).isEqualTo("bad signature");
    }

    @Test
    void anExpiredTokenIsRefusedButClockSkewWithinTheLeewayIsNot() throws Exception {
        assertThat(refusal(hs256.verify(hs256Token(payload("alice", NOW.minusSeconds(120)), SECRET))))
                .isEqualTo("token expired");
        assertThat(hs256.verify(hs256Token(payload("alice", NOW.minusSeconds(10)), SECRET)))
                .isInstanceOf(TokenVerification.Accepted.class);
        TokenVerifier strict = JwtTokenVerifier.hs256(SECRET).clock(CLOCK).leeway(Duration.ZERO).build();
        assertThat(refusal(strict.verify(hs256Token(payload("alice", NOW.minusSeconds(10)), SECRET))))
                .isEqualTo("token expired");
    }

    @Test
    void anAcceptedTokenIsRememberedOnlyUntilItExpires() throws Exception {
        MutableClock now = new MutableClock(NOW);
        TokenVerifier verifier = JwtTokenVerifier.hs256(SECRET).clock(now).leeway(Duration.ofSeconds(5)).build();
        String token = hs256Token(payload("alice", NOW.plusSeconds(60)), SECRET);

        TokenVerification first = verifier.verify(token);
        assertThat(first).isInstanceOf(TokenVerification.Accepted.class);
        assertThat(verifier.verify(token)).as("remembered, not checked again").isSameAs(first);

        now.set(NOW.plusSeconds(64));
        assertThat(verifier.verify(token)).as("within the leeway").isSameAs(first);
        now.set(NOW.plusSeconds(66));
        assertThat(refusal(verifier.verify(token))).isEqualTo("token expired");
        now.set(NOW);
        assertThat(verifier.verify(token)).as("forgotten once expired").isNotSameAs(first)
                .isInstanceOf(TokenVerification.Accepted.class);
    }

    @Test
    @SuppressWarnings("unchecked")
    void nestedClaimsOfARememberedPrincipalCannotBeChangedByOneRequestForTheNext() throws Exception {
        String token = hs256Token("{\"sub\":\"alice\",\"exp\":" + NOW.plusSeconds(60).getEpochSecond()
                + ",\"roles\":[\"member\"],\"profile\":{\"team\":\"blue\"}}", SECRET);
        Principal principal = ((TokenVerification.Accepted) hs256.verify(token)).principal();

        assertThatThrownBy(() -> ((List<Object>) principal.claims().get("roles")).add("admin"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((Map<String, Object>) principal.claims().get("profile")).put("team", "red"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(((TokenVerification.Accepted) hs256.verify(token)).principal().claims().get("roles"))
                .isEqualTo(List.of("member"));
    }

    @Test
    void withoutACacheEveryVerificationChecksTheSignature() throws Exception {
        TokenVerifier uncached = JwtTokenVerifier.hs256(SECRET).clock(CLOCK).cacheSize(0).build();
        String token = hs256Token(payload("alice", NOW.plusSeconds(60)), SECRET);
        assertThat(uncached.verify(token)).isNotSameAs(uncached.verify(token));
    }

    @Test
    void aFullCacheStaysBoundedAndStillAcceptsGoodTokens() throws Exception {
        TokenVerifier small = JwtTokenVerifier.hs256(SECRET).clock(CLOCK).cacheSize(2).build();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            tokens.add(hs256Token(payload("user-" + i, NOW.plusSeconds(60)), SECRET));
        }
        for (String token : tokens) {
            assertThat(small.verify(token)).isInstanceOf(TokenVerification.Accepted.class);
        }
        assertThat(((TokenVerification.Accepted) small.verify(tokens.get(0))).principal().userId())
                .isEqualTo("user-0");
        assertThatThrownBy(() -> JwtTokenVerifier.hs256(SECRET).cacheSize(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTokenNotYetValidIsRefused() throws Exception {
        String early = hs256Token("{\"sub\":\"alice\",\"exp\":" + NOW.plusSeconds(600).getEpochSecond()
                + ",\"nbf\":" + NOW.plusSeconds(300).getEpochSecond() + "}", SECRET);
        assertThat(hs256.verify(early)).isInstanceOf(TokenVerification.Refused.class);
    }

    @Test
    void algNoneIsRefused() {
        String unsigned = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(payload("alice", NOW.plusSeconds(600)))
                + ".";
        assertThat(refusal(hs256.verify(unsigned))).isEqualTo("algorithm not accepted");
        String unsignedUpper = b64("{\"alg\":\"NONE\"}") + "." + b64(payload("alice", NOW.plusSeconds(600))) + ".";
        assertThat(hs256.verify(unsignedUpper)).isInstanceOf(TokenVerification.Refused.class);
    }

    @Test
    void theAlgorithmIsPinnedSoAnHmacTokenKeyedWithTheRsaPublicKeyIsRefused() throws Exception {
        KeyPair keys = rsaKeys();
        TokenVerifier rs256 = JwtTokenVerifier.rs256((RSAPublicKey) keys.getPublic()).clock(CLOCK).build();
        String confused = hmacToken("{\"alg\":\"HS256\"}", payload("alice", NOW.plusSeconds(600)),
                keys.getPublic().getEncoded());

        assertThat(refusal(rs256.verify(confused))).isEqualTo("algorithm not accepted");
        assertThat(rs256.verify(rs256Token(payload("alice", NOW.plusSeconds(600)), keys.getPrivate())))
                .isInstanceOf(TokenVerification.Accepted.class);
    }

    @Test
    void anRs256TokenSignedByAnotherKeyIsRefused() throws Exception {
        TokenVerifier rs256 = JwtTokenVerifier.rs256((RSAPublicKey) rsaKeys().getPublic()).clock(CLOCK).build();
        String wronglySigned = rs256Token(payload("alice", NOW.plusSeconds(600)), rsaKeys().getPrivate());
        assertThat(refusal(rs256.verify(wronglySigned))).isEqualTo("bad signature");
    }

    @Test
    void es256TokensAreVerifiedWithThePublicKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair keys = generator.generateKeyPair();
        KeyPair otherKeys = generator.generateKeyPair();
        TokenVerifier es256 = JwtTokenVerifier.es256((ECPublicKey) keys.getPublic()).clock(CLOCK).build();

        String good = JWT.create().withSubject("alice").withExpiresAt(NOW.plusSeconds(600))
                .sign(Algorithm.ECDSA256(null, (ECPrivateKey) keys.getPrivate()));
        String wrong = JWT.create().withSubject("alice").withExpiresAt(NOW.plusSeconds(600))
                .sign(Algorithm.ECDSA256(null, (ECPrivateKey) otherKeys.getPrivate()));

        assertThat(es256.verify(good)).isInstanceOf(TokenVerification.Accepted.class);
        assertThat(refusal(es256.verify(wrong))).isEqualTo("bad signature");
    }

    @Test
    void tokensWithoutSubjectOrExpiryAreRefused() throws Exception {
        assertThat(refusal(hs256.verify(hs256Token("{\"exp\":" + NOW.plusSeconds(60).getEpochSecond() + "}", SECRET))))
                .isEqualTo("missing claim 'sub'");
        assertThat(refusal(hs256.verify(hs256Token("{\"sub\":\"alice\"}", SECRET))))
                .isEqualTo("missing claim 'exp'");
        assertThat(refusal(hs256.verify(hs256Token("{\"sub\":\"alice\",\"exp\":null}", SECRET))))
                .isEqualTo("missing claim 'exp'");
        TokenVerifier lenient = JwtTokenVerifier.hs256(SECRET).clock(CLOCK).requireExpiry(false).build();
        assertThat(lenient.verify(hs256Token("{\"sub\":\"alice\"}", SECRET)))
                .isInstanceOf(TokenVerification.Accepted.class);
    }

    @Test
    void issuerAudienceAndUserIdClaimAreChecked() throws Exception {
        TokenVerifier verifier = JwtTokenVerifier.hs256(SECRET).clock(CLOCK).issuer("https://auth.example")
                .audience("chat").userIdClaim("uid").build();
        long exp = NOW.plusSeconds(60).getEpochSecond();

        assertThat(verifier.verify(hs256Token("{\"uid\":\"u1\",\"exp\":" + exp
                + ",\"iss\":\"https://auth.example\",\"aud\":\"chat\"}", SECRET)))
                .isInstanceOfSatisfying(TokenVerification.Accepted.class,
                        accepted -> assertThat(accepted.principal().userId()).isEqualTo("u1"));
        assertThat(refusal(verifier.verify(hs256Token("{\"uid\":\"u1\",\"exp\":" + exp
                + ",\"iss\":\"https://evil.example\",\"aud\":\"chat\"}", SECRET)))).contains("iss");
        assertThat(refusal(verifier.verify(hs256Token("{\"uid\":\"u1\",\"exp\":" + exp
                + ",\"iss\":\"https://auth.example\",\"aud\":\"other\"}", SECRET)))).contains("aud");
    }

    private static String lifetimeToken(Instant iat, Instant exp) throws GeneralSecurityException {
        return hs256Token("{\"sub\":\"alice\"" + (iat == null ? "" : ",\"iat\":" + iat.getEpochSecond())
                + (exp == null ? "" : ",\"exp\":" + exp.getEpochSecond()) + "}", SECRET);
    }

    @Test
    void aMaximumLifetimeRefusesLongerLivedTokensAndTokensWithoutIssuedAt() throws Exception {
        Duration hour = Duration.ofHours(1);
        TokenVerifier capped = JwtTokenVerifier.hs256(SECRET).clock(CLOCK).maxLifetime(hour).build();

        assertThat(capped.verify(lifetimeToken(NOW, NOW.plus(hour)))).isInstanceOf(TokenVerification.Accepted.class);
        assertThat(capped.verify(lifetimeToken(NOW.minusSeconds(600), NOW.plusSeconds(600))))
                .isInstanceOf(TokenVerification.Accepted.class);
        assertThat(refusal(capped.verify(lifetimeToken(NOW, NOW.plus(hour).plusSeconds(1)))))
                .isEqualTo("token lifetime exceeds the maximum of PT1H");
        assertThat(refusal(capped.verify(lifetimeToken(NOW.minus(Duration.ofDays(2)), NOW.plusSeconds(60)))))
                .isEqualTo("token lifetime exceeds the maximum of PT1H");
        assertThat(refusal(capped.verify(lifetimeToken(null, NOW.plusSeconds(60)))))
                .isEqualTo("missing claim 'iat' (a maximum token lifetime is set)");
        // iat set ahead within the leeway, which java-jwt lets through, to make the token outlive the maximum.
        assertThat(refusal(capped.verify(lifetimeToken(NOW.plusSeconds(20), NOW.plus(hour).plusSeconds(20)))))
                .isEqualTo("token expires further ahead than the maximum lifetime of PT1H");
        TokenVerifier noExpiryRequired = JwtTokenVerifier.hs256(SECRET).clock(CLOCK).requireExpiry(false)
                .maxLifetime(hour).build();
        assertThat(refusal(noExpiryRequired.verify(lifetimeToken(NOW, null))))
                .isEqualTo("missing claim 'exp' (a maximum token lifetime is set)");
        assertThat(hs256.verify(lifetimeToken(null, NOW.plus(Duration.ofDays(365)))))
                .isInstanceOf(TokenVerification.Accepted.class);
    }

    @Test
    void aMaximumLifetimeMustBePositive() {
        assertThatThrownBy(() -> JwtTokenVerifier.hs256(SECRET).maxLifetime(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void garbageIsRefusedWithoutEchoingIt() {
        String garbage = "definitely.not.a-token-secret-value";
        String reason = refusal(hs256.verify(garbage));
        assertThat(reason).isEqualTo("malformed token").doesNotContain("secret-value");
        assertThat(hs256.verify("")).isInstanceOf(TokenVerification.Refused.class);
    }

    @Test
    void shortHmacSecretsAreRejectedAtConfiguration() {
        assertThatThrownBy(() -> JwtTokenVerifier.hs256("short")).isInstanceOf(IllegalArgumentException.class);
    }
}
