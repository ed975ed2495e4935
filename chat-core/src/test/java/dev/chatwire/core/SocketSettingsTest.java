package dev.chatwire.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SocketSettingsTest {

    @Test
    void theDefaultsAreSafe() {
        SocketSettings defaults = SocketSettings.builder().build();
        assertThat(defaults.path()).isEqualTo("/ws");
        assertThat(defaults.allowedOrigins()).isEmpty();
        assertThat(defaults.tokenInQuery()).isFalse();
        assertThat(defaults.permessageDeflate()).isFalse();
        assertThat(defaults.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(defaults.pingInterval()).isEqualTo(Duration.ofSeconds(25));
        assertThat(defaults.sendTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void originsMustBeExactSchemeHostAndPort() {
        SocketSettings.Builder builder = SocketSettings.builder();
        for (String notAnOrigin : List.of("https://chat.example.com/", "https://chat.example.com/app",
                "chat.example.com", "https://chat.example.com?x=1", "https://user@chat.example.com", "not an origin")) {
            assertThatThrownBy(() -> builder.allowedOrigins(notAnOrigin)).as(notAnOrigin)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("origin");
        }
        SocketSettings settings = builder.allowedOrigins("https://chat.example.com", "http://localhost:8080").build();
        assertThat(settings.allowedOrigins()).containsExactly("https://chat.example.com", "http://localhost:8080");
    }

    @Test
    void onlyExactOriginsOrNoOriginPassTheHandshake() {
        SocketSettings settings = SocketSettings.builder().allowedOrigins("https://chat.example.com").build();
        assertThat(settings.allowsOrigin("https://chat.example.com")).isTrue();
        assertThat(settings.allowsOrigin(null)).as("a non-browser client").isTrue();
        assertThat(settings.allowsOrigin("https://chat.example.com.evil.example")).isFalse();
        assertThat(settings.allowsOrigin("http://chat.example.com")).isFalse();
        assertThat(settings.allowsOrigin("null")).isFalse();
    }

    @Test
    void pathsAndDurationsAreChecked() {
        SocketSettings.Builder builder = SocketSettings.builder();
        assertThatThrownBy(() -> builder.path("ws")).hasMessageContaining("'/'");
        assertThatThrownBy(() -> builder.path("/ws/{room}")).hasMessageContaining("literal");
        assertThatThrownBy(() -> builder.path("^/ws.*")).hasMessageContaining("'/'");
        assertThat(builder.path("/chat/v1_socket.ws").build().path()).isEqualTo("/chat/v1_socket.ws");
        assertThatThrownBy(() -> builder.sendTimeout(Duration.ZERO)).hasMessageContaining("sendTimeout");
        assertThatThrownBy(() -> builder.pingInterval(Duration.ofSeconds(-1))).hasMessageContaining("pingInterval");
        assertThatThrownBy(() -> SocketSettings.builder().pingInterval(Duration.ofSeconds(30))
                .idleTimeout(Duration.ofSeconds(30)).build()).hasMessageContaining("idleTimeout");
    }

    @Test
    void theSweepComesFourTimesPerShortestIntervalButNotMoreOftenThanEvery20Ms() {
        assertThat(SocketSettings.builder().build().sweepInterval()).isEqualTo(Duration.ofMillis(2500));
        assertThat(SocketSettings.builder().pingInterval(Duration.ofMillis(40)).idleTimeout(Duration.ofSeconds(1))
                .build().sweepInterval()).isEqualTo(Duration.ofMillis(20));
    }

    @Test
    void theBearerTokenIsTheFirstNonEmptyOneWhateverTheSchemesCase() {
        assertThat(SocketSettings.bearerToken(List.of("Bearer abc"))).isEqualTo("abc");
        assertThat(SocketSettings.bearerToken(List.of("bearer  abc "))).isEqualTo("abc");
        assertThat(SocketSettings.bearerToken(List.of("Basic dXNlcjpwYXNz", "BEARER xyz"))).isEqualTo("xyz");
        assertThat(SocketSettings.bearerToken(List.of("Bearer "))).isNull();
        assertThat(SocketSettings.bearerToken(Arrays.asList(null, "Bearer"))).isNull();
        assertThat(SocketSettings.bearerToken(List.of())).isNull();
    }
}
