package dev.chatwire.mongo;

import com.mongodb.MongoClientSettings;
import dev.chatwire.core.Chat;
import dev.chatwire.core.MessageDraft;
import dev.chatwire.core.spi.UnavailableException;
import dev.chatwire.testing.MongoTestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The connection-string helper; uses in-process servers of its own, whatever {@value TestMongo#URI_VARIABLE} says. */
class MongoChatwireTest {

    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05.678Z");

    @Test
    void connectGivesWorkingStoresAndCloseClosesTheClient() {
        try (MongoTestServer server = MongoTestServer.start()) {
            MongoChatwire mongo = MongoChatwire.connect(server.connectionString(), "app");
            Chat chat = mongo.chats().create("alice", Set.of("alice"), null, T0);
            mongo.messages().append(MessageDraft.text(chat.id(), "alice", "hi", null, T0));

            mongo.readStates().markRead(chat.id(), "alice", 1);

            try (MongoChatwire again = MongoChatwire.connect(server.connectionString(), "app")) {
                assertThat(again.chats().find(chat.id())).contains(chat);
                assertThat(again.messages().lastSeq(chat.id())).isEqualTo(1);
                assertThat(again.readStates().readSeqs(List.of(chat.id())).get(chat.id()))
                        .isEqualTo(Map.of("alice", 1L));
            }
            mongo.close();
            assertThatThrownBy(() -> mongo.client().listDatabaseNames().first())
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void connectingToNoServerFailsFastAsUnavailable() {
        MongoTestServer stopped = MongoTestServer.start();
        stopped.close();
        long started = System.nanoTime();

        assertThatThrownBy(() -> MongoChatwire.connect(stopped.connectionString(), "app"))
                .isInstanceOf(UnavailableException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void recommendedSettingsFailFastUnlessTheConnectionStringSaysOtherwise() {
        MongoClientSettings defaults = MongoChatwire.recommendedSettings("mongodb://db.example");
        MongoClientSettings chosen = MongoChatwire.recommendedSettings(
                "mongodb://db.example/?serverSelectionTimeoutMS=500&connectTimeoutMS=700");

        assertThat(defaults.getClusterSettings().getServerSelectionTimeout(TimeUnit.MILLISECONDS)).isEqualTo(2000);
        assertThat(defaults.getSocketSettings().getConnectTimeout(TimeUnit.MILLISECONDS)).isEqualTo(2000);
        assertThat(defaults.getSocketSettings().getReadTimeout(TimeUnit.MILLISECONDS)).isEqualTo(15000);
        assertThat(chosen.getClusterSettings().getServerSelectionTimeout(TimeUnit.MILLISECONDS)).isEqualTo(500);
        assertThat(chosen.getSocketSettings().getConnectTimeout(TimeUnit.MILLISECONDS)).isEqualTo(700);
    }
}
