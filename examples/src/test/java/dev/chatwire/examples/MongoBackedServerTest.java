package dev.chatwire.examples;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chatwire.testing.MongoTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** With {@code CHAT_MONGO_URI} set, the example server keeps its chats and messages across a restart. */
class MongoBackedServerTest {

    private static final String SECRET = "mongo-backed-example-test-secret-0123456789";

    private final MongoTestServer mongo = MongoTestServer.start();

    @AfterEach
    void stopMongo() {
        mongo.close();
    }

    @Test
    void chatsAndMessagesSurviveARestartOfTheApp() throws Exception {
        ServerSettings settings = ServerSettings.fromEnvironment(Map.of("CHAT_PORT", "0", "CHAT_JWT_SECRET", SECRET,
                "CHAT_MONGO_URI", mongo.connectionString() + "/chatwire-example-test"));
        byte[] secret = SECRET.getBytes(StandardCharsets.UTF_8);

        RunningServer first = ChatServerApp.start(settings);
        String chatId;
        JsonNode sent;
        try {
            ChatClient alice = new ChatClient(first.port(), "alice", secret);
            chatId = alice.createChat("bob");
            sent = alice.postText(chatId, "written before the restart");
        } finally {
            first.stop();
        }

        RunningServer second = ChatServerApp.start(settings);
        try {
            ChatClient bob = new ChatClient(second.port(), "bob", secret);
            JsonNode chats = bob.get("/api/chats").path("chats");
            assertThat(chats).extracting(chat -> chat.path("id").asText()).containsExactly(chatId);
            JsonNode history = bob.get("/api/chats/" + chatId + "/messages").path("messages");
            assertThat(history).hasSize(1);
            assertThat(history.get(0).path("id").asText()).isEqualTo(sent.path("id").asText());
            assertThat(history.get(0).path("text").asText()).isEqualTo("written before the restart");
            assertThat(new ChatClient(second.port(), "alice", secret).postText(chatId, "after").path("seq").asLong())
                    .isEqualTo(sent.path("seq").asLong() + 1);
        } finally {
            second.stop();
        }
    }
}
