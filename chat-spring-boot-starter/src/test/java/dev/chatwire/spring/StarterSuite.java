package dev.chatwire.spring;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a Spring Boot application gets from the starter with nothing but its properties, on whichever embedded
 * container the subclass runs: a socket that authenticates, delivers, and closes with 1001 when the application stops.
 */
abstract class StarterSuite {

    static final String SECRET = "a-starter-test-secret-of-at-least-32-bytes";
    static final String PROPERTIES_SECRET = "chatwire.jwt.secret=" + SECRET;
    static final String PROPERTIES_ORIGINS = "chatwire.allowed-origins=http://localhost";

    private final ObjectMapper json = new ObjectMapper();

    @Value("${local.server.port}")
    int port;

    @Autowired
    ConfigurableApplicationContext context;

    /** An application with no beans of its own: everything comes from the auto-configuration. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }

    @Test
    void aSignedInUserSendsTheOtherReceivesAndBothGet1001WhenTheApplicationStops() throws Exception {
        String chatId = createChat(token("alice"), "bob");
        SocketClient alice = SocketClient.connect(URI.create("ws://localhost:" + port + "/ws"));
        SocketClient bob = SocketClient.connect(URI.create("ws://localhost:" + port + "/ws"));
        alice.send("{\"type\":\"connect\",\"token\":\"" + token("alice") + "\"}");
        bob.send("{\"type\":\"connect\",\"token\":\"" + token("bob") + "\"}");
        assertThat(alice.next("\"connected\"")).contains("\"userId\":\"alice\"");
        assertThat(bob.next("\"connected\"")).contains("\"userId\":\"bob\"");

        alice.send("{\"type\":\"send\",\"chatId\":\"" + chatId
                + "\",\"text\":\"hello bob\",\"clientMessageId\":\"m1\"}");
        assertThat(alice.next("\"ack\"")).contains("\"clientMessageId\":\"m1\"");
        assertThat(json.readTree(bob.next("\"new_message\"")).path("message").path("text").asText())
                .isEqualTo("hello bob");

        // What closing the application does first (close() itself would pull the context from under the test
        // framework): every lifecycle stops, in phase order.
        context.stop();

        assertThat(alice.closeCode()).isEqualTo(1001);
        assertThat(bob.closeCode()).isEqualTo(1001);
    }

    private String createChat(String token, String participant) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/chats"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"participants\":[\"" + participant + "\"]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json.readTree(response.body()).path("chat").path("id").asText();
    }

    private static String token(String userId) {
        return JWT.create().withSubject(userId).withExpiresAt(Instant.now().plus(Duration.ofHours(1)))
                .sign(Algorithm.HMAC256(SECRET.getBytes(StandardCharsets.UTF_8)));
    }
}
