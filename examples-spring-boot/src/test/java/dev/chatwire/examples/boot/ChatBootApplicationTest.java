package dev.chatwire.examples.boot;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.chatwire.client.Chat;
import dev.chatwire.client.ChatClient;
import dev.chatwire.client.ConnectionState;
import dev.chatwire.client.InMemoryResumeStorage;
import dev.chatwire.client.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The example application as its users run it: on its embedded Tomcat at a random port, with Spring Security in
 * front, reached by the Java client over real sockets and HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "CHAT_JWT_SECRET=" + ChatBootApplicationTest.SECRET)
class ChatBootApplicationTest {

    static final String SECRET = "the-example-application-test-secret-0123456789";

    @LocalServerPort
    int port;

    @Autowired
    ConfigurableApplicationContext context;

    private final List<ChatClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() {
        clients.forEach(ChatClient::close);
    }

    @Test
    @DirtiesContext // it stops the application
    void twoUsersChatThroughSecurityAndGet1001WhenTheApplicationStops() throws Exception {
        List<ConnectionState> bobStates = new CopyOnWriteArrayList<>();
        ChatClient alice = client("alice");
        ChatClient bob = client("bob");
        LinkedBlockingQueue<Message> bobReceived = new LinkedBlockingQueue<>();
        bob.onMessage(bobReceived::add);
        bob.onState(bobStates::add);
        alice.connect().get(10, TimeUnit.SECONDS);
        bob.connect().get(10, TimeUnit.SECONDS);

        Chat chat = alice.api().createChat(List.of("bob"), "example").get(10, TimeUnit.SECONDS);
        Message stored = alice.send(chat.id(), "hello from the Boot example").get(10, TimeUnit.SECONDS);

        Message received = bobReceived.poll(10, TimeUnit.SECONDS);
        assertThat(received).isNotNull();
        assertThat(received.seq()).isEqualTo(stored.seq());
        assertThat(received.text()).isEqualTo("hello from the Boot example");

        // What closing the application does first (close() itself would pull the context from under the test
        // framework): the starter's lifecycle closes every socket with 1001 before the web server stops.
        context.stop();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(
                () -> assertThat(bobStates).anyMatch(ChatBootApplicationTest::goingAway));
    }

    @Test
    void securityGuardsTheRestOfTheApplicationButLetsTheChatRoutesCheckTheirOwnTokens() throws Exception {
        HttpClient http = HttpClient.newHttpClient();

        HttpResponse<String> chats = http.send(HttpRequest.newBuilder(uri("/api/chats"))
                .header("Authorization", "Bearer " + token("alice")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> chatsWithoutToken = http.send(HttpRequest.newBuilder(uri("/api/chats")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> applicationPage = http.send(HttpRequest.newBuilder(uri("/anything-else")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(chats.statusCode()).as(chats.body()).isEqualTo(200);
        assertThat(chatsWithoutToken.statusCode()).as("Chatwire's own answer").isEqualTo(401);
        assertThat(chatsWithoutToken.body()).contains("\"error\"");
        assertThat(applicationPage.statusCode()).as("Spring Security's answer").isEqualTo(401);
        assertThat(applicationPage.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                challenge -> assertThat(challenge).startsWith("Basic"));
    }

    private ChatClient client(String userId) {
        ChatClient client = ChatClient.builder()
                .uri(URI.create("ws://localhost:" + port + "/ws"))
                .token(() -> token(userId))
                .storage(new InMemoryResumeStorage())
                .build();
        clients.add(client);
        return client;
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static boolean goingAway(ConnectionState state) {
        return state instanceof ConnectionState.Disconnected disconnected && disconnected.closeCode() == 1001;
    }

    private static String token(String userId) {
        return JWT.create().withSubject(userId).withExpiresAt(Instant.now().plus(Duration.ofHours(1)))
                .sign(Algorithm.HMAC256(SECRET));
    }
}
