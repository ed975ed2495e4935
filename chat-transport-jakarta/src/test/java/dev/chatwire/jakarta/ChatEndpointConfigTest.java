package dev.chatwire.jakarta;

import dev.chatwire.core.ChatEngine;
import dev.chatwire.core.SocketSettings;
import dev.chatwire.core.jwt.JwtTokenVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Registering the endpoint, apart from any container. */
class ChatEndpointConfigTest {

    private final ChatEngine engine = ChatEngine.builder()
            .tokenVerifier(JwtTokenVerifier.hs256(Tokens.SECRET).build())
            .inMemory()
            .build();

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    @Test
    void registeringOnAMissingContainerSaysWhereToGetOne() {
        try (ChatEndpointConfig endpoint = ChatEndpointConfig.create(engine, SocketSettings.builder().build())) {
            assertThatThrownBy(() -> endpoint.register(null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("no ServerContainer in the ServletContext")
                    .hasMessageContaining("WsSci")
                    .hasMessageContaining("ServerEndpointExporter");
        }
    }
}
