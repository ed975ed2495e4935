package dev.chatwire.examples;

import com.fasterxml.jackson.databind.JsonNode;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** With {@code CHAT_MONGO_URI} set, the example server keeps its chats and messages across a restart. */
class MongoBackedServerTest {

    private static final String SECRET = "mongo-backed-example-test-secret-0123456789";

    private final MongoServer mongo = new MongoServer(new MemoryBackend());

    @AfterEach
    void stopMongo() {
        mongo.shutdownNow();
    }

    @Test
    void chatsAndMessagesSurviveARestartOfTheApp() throws Exception {
        mongo.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        InetSocketAddress address = mongo.getLocalAddress();
        ServerSettings settings = ServerSettings.fromEnvironment(Map.of("CHAT_PORT", "0", "CHAT_JWT_SECRET", SECRET,
                "CHAT_MONGO_URI", "mongodb://127.0.0.1:" + address.getPort() + "/chatwire-example-test"));
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
