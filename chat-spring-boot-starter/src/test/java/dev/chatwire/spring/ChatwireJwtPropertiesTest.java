package dev.chatwire.spring;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import com.sun.net.httpserver.HttpServer;
import dev.chatwire.core.spi.TokenVerification;
import dev.chatwire.core.spi.TokenVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code chatwire.jwt.*} properties make the verifier they describe: HS256, or an identity provider's JWKS. */
class ChatwireJwtPropertiesTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ChatwireAutoConfiguration.class));
    private KeyPair rsa;
    private HttpServer server;
    private String jwksUri;

    @BeforeEach
    void serveJwks() throws IOException, NoSuchAlgorithmException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        rsa = generator.generateKeyPair();
        RSAPublicKey key = (RSAPublicKey) rsa.getPublic();
        byte[] body = ("{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"k1\",\"alg\":\"RS256\",\"n\":\"" + b64(key.getModulus())
                + "\",\"e\":\"" + b64(key.getPublicExponent()) + "\"}]}").getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jwks.json", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        jwksUri = "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aJwksUriWithIssuerAudienceAndLeewayMakesAVerifierOfTheIdentityProvidersTokens() {
        runner.withPropertyValues("chatwire.jwt.jwks-uri=" + jwksUri, "chatwire.jwt.issuer=https://auth.example.com/",
                        "chatwire.jwt.audience=chat", "chatwire.jwt.leeway=45s")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    TokenVerifier tokens = context.getBean(TokenVerifier.class);

                    assertThat(tokens.verify(rs256(claims()))).isInstanceOf(TokenVerification.Accepted.class);
                    assertThat(tokens.verify(rs256(claims().withAudience("billing"))))
                            .isEqualTo(TokenVerification.refused("claim 'aud' not accepted"));
                    assertThat(tokens.verify(rs256(claims().withIssuer("https://evil.example.com/"))))
                            .isEqualTo(TokenVerification.refused("claim 'iss' not accepted"));
                    assertThat(tokens.verify(rs256(claims().withExpiresAt(Instant.now().minusSeconds(40)))))
                            .isInstanceOf(TokenVerification.Accepted.class);
                    assertThat(tokens.leeway()).isEqualTo(Duration.ofSeconds(45));
                });
    }

    @Test
    void aSecretWithAnIssuerRefusesTokensFromAnotherIssuer() {
        String secret = "a-test-secret-that-is-at-least-32-bytes-long";
        runner.withPropertyValues("chatwire.jwt.secret=" + secret, "chatwire.jwt.issuer=https://auth.example.com/")
                .run(context -> {
                    TokenVerifier tokens = context.getBean(TokenVerifier.class);
                    assertThat(tokens.verify(claims().sign(Algorithm.HMAC256(secret))))
                            .isInstanceOf(TokenVerification.Accepted.class);
                    assertThat(tokens.verify(claims().withIssuer("https://evil.example.com/").sign(Algorithm.HMAC256(secret))))
                            .isEqualTo(TokenVerification.refused("claim 'iss' not accepted"));
                });
    }

    @Test
    void aMaximumLifetimeRefusesTokensThatLiveLongerOrCarryNoIssuedAt() {
        String secret = "a-test-secret-that-is-at-least-32-bytes-long";
        runner.withPropertyValues("chatwire.jwt.secret=" + secret, "chatwire.jwt.max-lifetime=15m")
                .run(context -> {
                    TokenVerifier tokens = context.getBean(TokenVerifier.class);
                    Instant now = Instant.now();
                    assertThat(tokens.verify(claims().withIssuedAt(now).sign(Algorithm.HMAC256(secret))))
                            .isInstanceOf(TokenVerification.Accepted.class);
                    assertThat(tokens.verify(claims().withIssuedAt(now).withExpiresAt(now.plus(Duration.ofHours(1)))
                            .sign(Algorithm.HMAC256(secret))))
                            .isEqualTo(TokenVerification.refused("token lifetime exceeds the maximum of PT15M"));
                    assertThat(tokens.verify(claims().sign(Algorithm.HMAC256(secret)))).isEqualTo(
                            TokenVerification.refused("missing claim 'iat' (a maximum token lifetime is set)"));
                });
    }

    @Test
    void bothASecretAndAJwksUriFailTheStartSayingToChooseOne() {
        runner.withPropertyValues("chatwire.jwt.secret=a-test-secret-that-is-at-least-32-bytes-long",
                        "chatwire.jwt.jwks-uri=" + jwksUri)
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("chatwire.jwt.secret").hasMessageContaining("chatwire.jwt.jwks-uri"));
    }

    private static JWTCreator.Builder claims() {
        return JWT.create().withSubject("alice").withIssuer("https://auth.example.com/").withAudience("chat")
                .withExpiresAt(Instant.now().plusSeconds(600));
    }

    private String rs256(JWTCreator.Builder claims) {
        return claims.withKeyId("k1").sign(Algorithm.RSA256(null, (RSAPrivateKey) rsa.getPrivate()));
    }

    private static String b64(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
