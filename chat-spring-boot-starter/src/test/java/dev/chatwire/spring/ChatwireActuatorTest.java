package dev.chatwire.spring;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With Spring Boot's Actuator in the application, {@code /actuator/health} has a {@code chatwire} component per
 * adapter and {@code /actuator/metrics} lists the {@code chatwire.*} meters, which move as clients send.
 */
@SpringBootTest(classes = {StarterSuite.App.class, TomcatStarterTest.Tomcat.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {StarterSuite.PROPERTIES_SECRET, StarterSuite.PROPERTIES_ORIGINS,
                "management.endpoints.web.exposure.include=health,metrics",
                "management.endpoint.health.show-details=always"})
@DirtiesContext
class ChatwireActuatorTest {

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Value("${local.server.port}")
    int port;

    @Test
    void healthShowsEachAdapterAndMetricsListTheMetersAfterMessagesAreSent() throws Exception {
        String chatId = post("/api/chats", token("alice"), "{\"participants\":[\"bob\"]}")
                .path("chat").path("id").asText();
        SocketClient alice = SocketClient.connect(URI.create("ws://localhost:" + port + "/ws"));
        SocketClient bob = SocketClient.connect(URI.create("ws://localhost:" + port + "/ws"));
        alice.send("{\"type\":\"connect\",\"token\":\"" + token("alice") + "\"}");
        bob.send("{\"type\":\"connect\",\"token\":\"" + token("bob") + "\"}");
        alice.next("\"connected\"");
        bob.next("\"connected\"");
        for (int i = 0; i < 3; i++) {
            alice.send("{\"type\":\"send\",\"chatId\":\"" + chatId + "\",\"text\":\"hello " + i + "\"}");
            bob.next("hello " + i);
        }

        JsonNode health = get("/actuator/health");
        JsonNode chatwire = health.path("components").path("chatwire");
        assertThat(chatwire.path("status").asText()).isEqualTo("UP");
        List<String> adapters = new ArrayList<>();
        chatwire.path("components").fieldNames().forEachRemaining(adapters::add);
        assertThat(adapters).contains("messageStore", "chatStore", "mediaStore", "presenceRegistry",
                "roomBroadcaster");
        assertThat(chatwire.path("components").path("messageStore").path("details").path("detail").asText())
                .isEqualTo("in memory");

        List<String> names = new ArrayList<>();
        get("/actuator/metrics").path("names").forEach(name -> names.add(name.asText()));
        assertThat(names).contains("chatwire.connections", "chatwire.connections.admitted",
                "chatwire.connections.refused", "chatwire.messages.stored", "chatwire.messages.delivered",
                "chatwire.messages.delivery", "chatwire.replays", "chatwire.outbound.queued");
        assertThat(measurement("chatwire.messages.stored", "COUNT")).isEqualTo(3);
        assertThat(measurement("chatwire.connections.admitted", "COUNT")).isEqualTo(2);
        assertThat(measurement("chatwire.connections", "VALUE")).isEqualTo(2);
    }

    private double measurement(String meter, String statistic) throws Exception {
        for (JsonNode sample : get("/actuator/metrics/" + meter).path("measurements")) {
            if (sample.path("statistic").asText().equals(statistic)) {
                return sample.path("value").asDouble();
            }
        }
        throw new AssertionError(meter + " has no " + statistic);
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private JsonNode post(String path, String token, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json.readTree(response.body());
    }

    private static String token(String userId) {
        return JWT.create().withSubject(userId).withExpiresAt(Instant.now().plus(Duration.ofHours(1)))
                .sign(Algorithm.HMAC256(StarterSuite.SECRET.getBytes(StandardCharsets.UTF_8)));
    }
}
