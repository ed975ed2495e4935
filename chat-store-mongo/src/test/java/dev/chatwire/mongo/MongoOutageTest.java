package dev.chatwire.mongo;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import dev.chatwire.core.Chat;
import dev.chatwire.core.MediaUpload;
import dev.chatwire.core.Message;
import dev.chatwire.core.MessageDraft;
import dev.chatwire.core.spi.HealthCheck;
import dev.chatwire.core.spi.UnavailableException;
import dev.chatwire.testing.MongoTestServer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The stores fail fast while MongoDB is down and work again, the same instances, once it is back; their health checks
 * say so.
 *
 * <p>This test always uses an in-process server of its own, even when {@value TestMongo#URI_VARIABLE} is set: it has
 * to stop and restart the server. The client has {@link MongoChatwire#recommendedSettings}.
 */
class MongoOutageTest {

    private static final Logger LOG = LoggerFactory.getLogger(MongoOutageTest.class);
    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05.678Z");
    /** Far above the 2 s server selection timeout: a bound on correctness, not a benchmark. */
    private static final Duration FAIL_FAST_BOUND = Duration.ofSeconds(10);

    @Test
    void whileTheServerIsDownEveryStoreFailsFastAndTheSameStoresRecoverWhenItIsBack() {
        try (MongoTestServer server = MongoTestServer.start();
             MongoClient client = MongoClients.create(MongoChatwire.recommendedSettings(server.connectionString()))) {
            MongoDatabase database = client.getDatabase("outage");
            MongoMessageStore messages = MongoMessageStore.create(database);
            MongoChatStore chats = MongoChatStore.create(database);
            GridFsMediaStore media = GridFsMediaStore.create(database);
            Chat chat = chats.create("alice", Set.of("alice", "bob"), "outage", T0);
            Message stored = messages.append(MessageDraft.text(chat.id(), "alice", "before", "c-1", T0)).message();
            assertThat(List.of(messages.checkHealth(), chats.checkHealth(), media.checkHealth()))
                    .allMatch(HealthCheck.Health::up);

            server.stop();

            assertThat(List.of(messages.checkHealth(), chats.checkHealth(), media.checkHealth()))
                    .allSatisfy(health -> assertThat(health.up()).isFalse())
                    .allSatisfy(health -> assertThat(health.detail()).startsWith("MongoDB ping failed"));

            assertFailsFastAsUnavailable(
                    () -> messages.append(MessageDraft.text(chat.id(), "alice", "lost", "c-2", T0)));
            assertFailsFastAsUnavailable(() -> messages.after(chat.id(), 0, 10));
            assertFailsFastAsUnavailable(() -> chats.chatsOf("alice"));
            assertFailsFastAsUnavailable(() -> media.put(new MediaUpload(chat.id(), "alice", "a.bin", "image/png", T0),
                    new ByteArrayInputStream(new byte[100]), 1000));

            server.restart();
            long restarted = System.nanoTime();

            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> messages.lastSeq(chat.id()) == stored.seq());
            LOG.info("After the restart, the same store answered again within {} ms",
                    Duration.ofNanos(System.nanoTime() - restarted).toMillis());
            Message after = messages.append(MessageDraft.text(chat.id(), "bob", "after", "c-3", T0)).message();
            assertThat(messages.after(chat.id(), 0, 10)).extracting(Message::text).containsExactly("before", "after");
            assertThat(after.seq()).isGreaterThan(stored.seq());
            assertThat(messages.checkHealth().up()).isTrue();
            assertThat(chats.chatsOf("alice")).containsExactly(chat);
            assertThat(media.put(new MediaUpload(chat.id(), "alice", "a.bin", "image/png", T0),
                    new ByteArrayInputStream(new byte[100]), 1000).size()).isEqualTo(100);
        }
    }

    private static void assertFailsFastAsUnavailable(ThrowingCallable call) {
        long started = System.nanoTime();
        Throwable thrown = catchThrowable(call);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(thrown).isInstanceOf(UnavailableException.class).hasCauseInstanceOf(MongoException.class);
        assertThat(took).isLessThan(FAIL_FAST_BOUND);
        LOG.info("With the server down, a call failed as unavailable after {} ms: {}", took.toMillis(),
                thrown.getCause().getClass().getSimpleName());
    }
}
