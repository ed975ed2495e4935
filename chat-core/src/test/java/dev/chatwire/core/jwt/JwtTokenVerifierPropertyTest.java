package dev.chatwire.core.jwt;

import dev.chatwire.core.Principal;
import dev.chatwire.core.contract.JsonInputs;
import dev.chatwire.core.contract.PropertyRunner;
import dev.chatwire.core.spi.TokenVerification;
import dev.chatwire.core.spi.TokenVerifier;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any string presented as a token is accepted with a user id or refused with a reason; the verifier never throws.
 * Most generated tokens carry a valid HS256 signature over a random header and payload, so that the claim checks, not
 * only the signature check, see the odd values.
 */
class JwtTokenVerifierPropertyTest {

    private static final String SECRET = "a-test-secret-that-is-at-least-32-bytes-long";
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static final List<String> VALID_HEADERS = List.of(
            "{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "{\"alg\":\"HS256\"}", "{\"alg\":\"HS256\",\"kid\":\"k1\"}");
    private static final List<String> HEADER_WORDS = List.of("alg", "typ", "kid", "cty", "crit", "HS256", "none",
            "RS256", "JWT");
    private static final List<String> VALID_PAYLOADS = List.of(
            "{\"sub\":\"alice\",\"exp\":" + (NOW.getEpochSecond() + 60) + "}",
            "{\"sub\":\"bob\",\"exp\":" + (NOW.getEpochSecond() + 60) + ",\"nbf\":" + NOW.getEpochSecond()
                    + ",\"iat\":" + NOW.getEpochSecond() + ",\"iss\":\"https://auth\",\"aud\":[\"chat\",\"x\"]}",
            "{\"sub\":\"carol\",\"exp\":" + (NOW.getEpochSecond() - 10) + ",\"role\":{\"admin\":[true,1,null]}}");
    private static final List<String> PAYLOAD_WORDS = List.of("sub", "exp", "nbf", "iat", "iss", "aud", "jti",
            "role", "uid", "https://auth", "chat", "alice");

    private static final Duration LEEWAY = Duration.ofSeconds(30);

    /** The verifiers under test: all but the last require {@code exp}. */
    private final List<TokenVerifier> verifiers = List.of(
            JwtTokenVerifier.hs256(SECRET).clock(CLOCK).leeway(LEEWAY).build(),
            JwtTokenVerifier.hs256(SECRET).clock(CLOCK).leeway(LEEWAY).issuer("https://auth").audience("chat")
                    .userIdClaim("uid").cacheSize(0).build(),
            JwtTokenVerifier.hs256(SECRET).clock(CLOCK).leeway(LEEWAY).requireExpiry(false).build());

    @Test
    void everyTokenIsAcceptedWithAUserIdAndALiveExpiryOrRefusedWithAReason() {
        PropertyRunner.forAll("tokens", JwtTokenVerifierPropertyTest::token, token -> {
            for (int i = 0; i < verifiers.size(); i++) {
                TokenVerification verification = verifiers.get(i).verify(token);
                if (verification instanceof TokenVerification.Accepted accepted) {
                    Principal principal = accepted.principal();
                    assertThat(principal.userId()).isNotBlank();
                    boolean requiresExpiry = i < verifiers.size() - 1;
                    if (requiresExpiry || principal.expiresAt() != null) {
                        assertThat(principal.expiresAt()).isAfterOrEqualTo(NOW.minus(LEEWAY));
                    }
                } else {
                    String reason = ((TokenVerification.Refused) verification).reason();
                    assertThat(reason).isNotBlank();
                    if (token.length() > 8) {
                        assertThat(reason).doesNotContain(token);
                    }
                }
            }
        });
    }

    private static String token(Random random) {
        String header = random.nextInt(3) == 0
                ? JsonInputs.document(random, VALID_HEADERS, HEADER_WORDS)
                : VALID_HEADERS.get(random.nextInt(VALID_HEADERS.size()));
        String payload = JsonInputs.document(random, VALID_PAYLOADS, PAYLOAD_WORDS);
        String signed = sign(header, payload);
        return switch (random.nextInt(6)) {
            case 0 -> JsonInputs.mutate(random, signed);
            case 1 -> JsonInputs.text(random, 60);
            default -> signed;
        };
    }

    private static String sign(String headerJson, String payloadJson) {
        String signingInput = b64(headerJson) + "." + b64(payloadJson);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] signature = mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
