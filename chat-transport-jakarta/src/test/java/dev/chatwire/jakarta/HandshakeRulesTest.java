package dev.chatwire.jakarta;

import dev.chatwire.core.ChatEngine;
import dev.chatwire.core.SocketSettings;
import dev.chatwire.core.jwt.JwtTokenVerifier;
import jakarta.websocket.Extension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The handshake and header rules that the end-to-end suite reaches only through one container's parsing. */
class HandshakeRulesTest {

    private final ChatEngine engine = ChatEngine.builder()
            .tokenVerifier(JwtTokenVerifier.hs256(Tokens.SECRET).build())
            .inMemory()
            .build();

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    @Test
    void theBearerTokenIsFoundWhateverTheCaseOfTheHeaderAndScheme() {
        assertThat(HandshakeConfigurator.bearerToken(Map.of("authorization", List.of("Bearer abc")))).isEqualTo("abc");
        assertThat(HandshakeConfigurator.bearerToken(Map.of("AUTHORIZATION", List.of("bearer  abc "))))
                .isEqualTo("abc");
        assertThat(HandshakeConfigurator.bearerToken(Map.of("Authorization", List.of("Basic dXNlcjpwYXNz")))).isNull();
        assertThat(HandshakeConfigurator.bearerToken(Map.of("Authorization", List.of("Bearer ")))).isNull();
        assertThat(HandshakeConfigurator.bearerToken(Map.of("Cookie", List.of("Bearer abc")))).isNull();
    }

    @Test
    void theHandshakeAllowsExactlyTheSettingsOrigins() {
        SocketSettings settings = SocketSettings.builder().allowedOrigins("https://chat.example.com").build();
        try (ChatEndpointConfig config = ChatEndpointConfig.create(engine, settings)) {
            HandshakeConfigurator rules = new HandshakeConfigurator(config);
            assertThat(rules.checkOrigin("https://chat.example.com")).isTrue();
            assertThat(rules.checkOrigin(null)).isTrue();
            assertThat(rules.checkOrigin("https://chat.example.com.evil.example")).isFalse();
            assertThat(rules.checkOrigin("http://chat.example.com")).isFalse();
            assertThat(rules.checkOrigin("null")).isFalse();
        }
    }

    @Test
    void permessageDeflateIsNegotiatedOnlyWhenTurnedOn() {
        List<Extension> installed = List.of(extension("permessage-deflate"), extension("x-other"));
        List<Extension> requested = List.of(extension("permessage-deflate"), extension("x-other"));
        try (ChatEndpointConfig off = ChatEndpointConfig.create(engine, SocketSettings.builder().build());
             ChatEndpointConfig on = ChatEndpointConfig.create(engine,
                     SocketSettings.builder().permessageDeflate(true).build())) {
            assertThat(new HandshakeConfigurator(off).getNegotiatedExtensions(installed, requested)).isEmpty();
            assertThat(new HandshakeConfigurator(on).getNegotiatedExtensions(installed, requested))
                    .extracting(Extension::getName).containsExactly("permessage-deflate");
        }
    }

    @Test
    void downloadNamesCannotBreakOutOfTheContentDispositionHeader() {
        assertThat(MediaHeaders.contentDisposition("evil\"; filename=x.html\r\nX: y.png", "image/png"))
                .isEqualTo("inline; filename=\"evil__ filename_x.html__X_ y.png\"; "
                        + "filename*=UTF-8''evil%22%3B%20filename%3Dx.html%0D%0AX%3A%20y.png");
        assertThat(MediaHeaders.contentDisposition("résumé.pdf", "application/pdf"))
                .isEqualTo("attachment; filename=\"r_sum_.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf");
        assertThat(MediaHeaders.contentDisposition(null, "image/svg+xml")).isEqualTo("attachment");
    }

    private static Extension extension(String name) {
        return new Extension() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public List<Parameter> getParameters() {
                return List.of();
            }
        };
    }
}
