package dev.chatwire.examples;

import dev.chatwire.core.ChatLimits;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerSettingsTest {

    @Test
    void withNothingSetItListensOnLocalhost8080WithARandomSecretAndItsOwnOrigins() {
        ServerSettings settings = ServerSettings.fromEnvironment(Map.of());

        assertThat(settings.host()).isEqualTo("127.0.0.1");
        assertThat(settings.port()).isEqualTo(8080);
        assertThat(settings.randomSecret()).isTrue();
        assertThat(settings.jwtSecret()).hasSize(32);
        assertThat(settings.originsFor(8080)).containsExactly("http://localhost:8080", "http://127.0.0.1:8080");
        assertThat(ServerSettings.fromEnvironment(Map.of()).jwtSecret()).isNotEqualTo(settings.jwtSecret());
    }

    @Test
    void readsEveryVariable() {
        ServerSettings settings = ServerSettings.fromEnvironment(Map.of(
                "CHAT_PORT", "9090",
                "CHAT_JWT_SECRET", "x".repeat(32),
                "CHAT_ALLOWED_ORIGINS", "https://chat.example.com, http://localhost:3000 ,"));

        assertThat(settings.port()).isEqualTo(9090);
        assertThat(settings.randomSecret()).isFalse();
        assertThat(new String(settings.jwtSecret())).isEqualTo("x".repeat(32));
        assertThat(settings.originsFor(9090)).containsExactly("https://chat.example.com", "http://localhost:3000");
    }

    @Test
    void refusesAShortSecretAndABadPort() {
        assertThatThrownBy(() -> ServerSettings.fromEnvironment(Map.of("CHAT_JWT_SECRET", "too short")))
                .hasMessageContaining("at least 32 bytes");
        assertThatThrownBy(() -> ServerSettings.fromEnvironment(Map.of("CHAT_PORT", "eighty")))
                .hasMessageContaining("CHAT_PORT");
        assertThatThrownBy(() -> ServerSettings.fromEnvironment(Map.of("CHAT_PORT", "70000")))
                .hasMessageContaining("CHAT_PORT");
    }

    @Test
    void theSocketIsJakartaWebSocketUnlessJettysCoreApiIsAskedFor() {
        assertThat(ServerSettings.fromEnvironment(Map.of()).webSocket()).isEqualTo(ServerSettings.WebSocketApi.JAKARTA);
        assertThat(ServerSettings.fromEnvironment(Map.of("CHAT_WEBSOCKET", "jakarta")).webSocket())
                .isEqualTo(ServerSettings.WebSocketApi.JAKARTA);
        assertThat(ServerSettings.fromEnvironment(Map.of("CHAT_WEBSOCKET", " Jetty ")).webSocket())
                .isEqualTo(ServerSettings.WebSocketApi.JETTY);
        assertThat(ServerSettings.forTests().withWebSocket(ServerSettings.WebSocketApi.JETTY).webSocket())
                .isEqualTo(ServerSettings.WebSocketApi.JETTY);
        assertThatThrownBy(() -> ServerSettings.fromEnvironment(Map.of("CHAT_WEBSOCKET", "tomcat")))
                .hasMessageContaining("CHAT_WEBSOCKET");
    }

    @Test
    void readsTheBackendsAndThePresenceExpiry() {
        ServerSettings settings = ServerSettings.fromEnvironment(Map.of("CHAT_MONGO_URI", "mongodb://db/chat",
                "CHAT_REDIS_URI", "redis://cache:6379", "CHAT_PRESENCE_EXPIRY_SECONDS", "5"));
        assertThat(settings.mongoUri()).isEqualTo("mongodb://db/chat");
        assertThat(settings.redisUri()).isEqualTo("redis://cache:6379");
        assertThat(settings.presenceExpiry()).isEqualTo(java.time.Duration.ofSeconds(5));
        assertThat(ServerSettings.forTests().presenceExpiry()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThatThrownBy(() -> ServerSettings.fromEnvironment(Map.of("CHAT_PRESENCE_EXPIRY_SECONDS", "0")))
                .hasMessageContaining("CHAT_PRESENCE_EXPIRY_SECONDS");
    }

    @Test
    void hostNamesAreTheLoopbackNamesTheListenAddressAndTheConfiguredOnes() {
        assertThat(ServerSettings.fromEnvironment(Map.of()).hostNames())
                .containsExactly("localhost", "127.0.0.1", "[::1]");
        ServerSettings settings = ServerSettings.fromEnvironment(Map.of("CHAT_HOST", "0.0.0.0",
                "CHAT_ALLOWED_HOSTS", "Chat.Example.com, 10.0.0.5"));
        assertThat(settings.hostNames()).containsExactly("localhost", "127.0.0.1", "[::1]", "chat.example.com",
                "10.0.0.5");
        assertThat(ServerSettings.fromEnvironment(Map.of("CHAT_HOST", "::1")).hostNames()).contains("[::1]");
    }

    @Test
    void onlyALoopbackListenAddressCountsAsLocal() {
        assertThat(ServerSettings.fromEnvironment(Map.of()).listensOnLoopbackOnly()).isTrue();
        assertThat(ServerSettings.fromEnvironment(Map.of("CHAT_HOST", "localhost")).listensOnLoopbackOnly()).isTrue();
        assertThat(ServerSettings.fromEnvironment(Map.of("CHAT_HOST", "0.0.0.0")).listensOnLoopbackOnly()).isFalse();
    }

    @Test
    void restRateLimitsAreOnUnlessTurnedOff() {
        assertThat(ServerSettings.fromEnvironment(Map.of()).restRateLimits()).isTrue();
        assertThat(ServerSettings.fromEnvironment(Map.of("CHAT_REST_RATE_LIMITS", "OFF")).restRateLimits()).isFalse();
        assertThatThrownBy(() -> ServerSettings.fromEnvironment(Map.of("CHAT_REST_RATE_LIMITS", "maybe")))
                .hasMessageContaining("on or off");
    }

    @Test
    void theUnauthenticatedSocketsOfOneAddressAreCappedAsTheEngineDefaultUnlessSet() {
        assertThat(ServerSettings.fromEnvironment(Map.of()).maxUnauthenticatedPerAddress())
                .isEqualTo(ChatLimits.defaults().maxUnauthenticatedPerAddress());
        assertThat(ServerSettings.fromEnvironment(Map.of("CHAT_MAX_UNAUTHENTICATED_PER_ADDRESS", "6000"))
                .maxUnauthenticatedPerAddress()).isEqualTo(6000);
        assertThatThrownBy(() -> ServerSettings.fromEnvironment(Map.of("CHAT_MAX_UNAUTHENTICATED_PER_ADDRESS", "lots")))
                .hasMessageContaining("must be a number");
    }

    @Test
    void theHostCheckIgnoresThePortAndCaseAndRefusesLookAlikes() {
        HostAllowList hosts = new HostAllowList(ServerSettings.fromEnvironment(Map.of()).hostNames());
        assertThat(hosts.allows("LocalHost:8080")).isTrue();
        assertThat(hosts.allows("[::1]:8080")).isTrue();
        assertThat(hosts.allows("127.0.0.1")).isTrue();
        assertThat(hosts.allows("localhost.evil.example")).isFalse();
        assertThat(hosts.allows("[::2]:8080")).isFalse();
        assertThat(hosts.allows(null)).isFalse();
    }
}
