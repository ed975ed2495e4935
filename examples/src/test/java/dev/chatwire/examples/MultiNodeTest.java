package dev.chatwire.examples;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chatwire.testing.MongoTestServer;
import dev.chatwire.testing.RedisTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three example servers as nodes of one chat service, sharing one MongoDB and one Redis: A and C in this JVM, B in a
 * process of its own so that it can be killed without any cleanup.
 */
class MultiNodeTest {

    private static final String SECRET = "multi-node-example-test-secret-0123456789";
    private static final byte[] SECRET_BYTES = SECRET.getBytes(StandardCharsets.UTF_8);
    private static final Duration QUIET = Duration.ofMillis(500);

    private final MongoTestServer mongo = MongoTestServer.start();
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
        mongo.close();
    }

    @Test
    void nodesShareRoomsAndPresenceSurviveARedisRestartAndHealAfterANodeDies() throws Exception {
        RedisTestServer redis = RedisTestServer.startLocal();
        cleanup.add(redis);
        Map<String, String> env = Map.of("CHAT_JWT_SECRET", SECRET,
                "CHAT_MONGO_URI", mongo.connectionString() + "/multi-node-"
                        + UUID.randomUUID(),
                "CHAT_REDIS_URI", redis.uri().toString(),
                "CHAT_PRESENCE_EXPIRY_SECONDS", "2");
        RunningServer nodeA = startInProcess(env);
        RunningServer nodeC = startInProcess(env);
        NodeProcess nodeB = NodeProcess.start("B", env);
        cleanup.add(nodeB);
        int portB = nodeB.port();

        ChatClient aliceOnA = client(nodeA.port(), "alice").connect();
        ChatClient bobOnB = client(portB, "bob").connect();
        ChatClient carolOnC = client(nodeC.port(), "carol").connect();
        ChatClient aliceOnC = client(nodeC.port(), "alice").connect();
        List<ChatClient> everyone = List.of(aliceOnA, bobOnB, carolOnC, aliceOnC);

        String chatId = aliceOnA.createChat("bob", "carol");
        for (ChatClient client : everyone) {
            client.awaitFrame("chat_joined", frame -> chatId.equals(frame.path("chatId").asText()));
        }

        aliceOnA.postText(chatId, "one");
        awaitEveryone(everyone, chatId, List.of("one"));
        // Reading accepts the chat alice added them to: only then does their presence show there.
        bobOnB.post("/api/chats/" + chatId + "/read", "{\"seq\":1}");
        carolOnC.post("/api/chats/" + chatId + "/read", "{\"seq\":1}");
        JsonNode presenceSeenFromC = carolOnC.get("/api/presence?users=alice,bob,carol").path("presence");
        assertThat(presenceSeenFromC.path("alice").asBoolean()).isTrue();
        assertThat(presenceSeenFromC.path("bob").asBoolean()).isTrue();
        assertThat(presenceSeenFromC.path("carol").asBoolean()).isTrue();

        redis.stop();
        aliceOnA.postText(chatId, "two, while Redis is down");
        aliceOnA.awaitFrame("new_message", frame -> frame.path("message").path("seq").asLong() == 2);
        redis.start();
        awaitEveryone(everyone, chatId, List.of("one", "two, while Redis is down"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            carolOnC.postText(chatId, "three, after the restart");
            awaitEveryone(everyone, chatId, List.of("one", "two, while Redis is down", "three, after the restart"));
        });

        nodeB.kill();
        for (ChatClient survivor : List.of(aliceOnA, carolOnC)) {
            JsonNode offline = survivor.awaitFrame("presence", frame -> frame.path("userId").asText().equals("bob")
                    && !frame.path("online").asBoolean());
            assertThat(offline.path("chatId").asText()).isEqualTo(chatId);
        }
        assertThat(aliceOnA.get("/api/presence?users=alice,bob,carol").path("presence").path("bob").asBoolean())
                .isFalse();
        assertThat(aliceOnA.get("/api/presence?users=alice,bob,carol").path("presence").path("carol").asBoolean())
                .isTrue();
    }

    /** Waits until each client has exactly these messages of the chat, each once, in order. */
    private static void awaitEveryone(List<ChatClient> clients, String chatId, List<String> texts)
            throws InterruptedException {
        for (ChatClient client : clients) {
            await().atMost(Duration.ofSeconds(20)).until(() -> client.texts(chatId).size() >= texts.size());
        }
        Thread.sleep(QUIET.toMillis());
        for (ChatClient client : clients) {
            assertThat(client.texts(chatId)).as("messages on %s's socket", client.userId)
                    .containsExactlyElementsOf(texts);
        }
    }

    private ChatClient client(int port, String userId) {
        ChatClient client = new ChatClient(port, userId, SECRET_BYTES);
        cleanup.add(client);
        return client;
    }

    private RunningServer startInProcess(Map<String, String> env) throws Exception {
        Map<String, String> withPort = new java.util.HashMap<>(env);
        withPort.put("CHAT_PORT", "0");
        RunningServer server = ChatServerApp.start(ServerSettings.fromEnvironment(withPort));
        cleanup.add(server::stop);
        return server;
    }
}
