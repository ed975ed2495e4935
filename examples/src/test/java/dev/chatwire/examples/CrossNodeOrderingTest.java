package dev.chatwire.examples;

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
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cross-node hole of issue 21, as a workload, a fault and a checker: three nodes share MongoDB (over TCP) and
 * Redis, two users on every node post to one chat at once, and Redis is paused while they do. Every acknowledged
 * message must be stored once, and every reader on every node must end with exactly the chat's stored seqs, each
 * once and in order: a reader that was shown n+1 before n was stored would have skipped n for good.
 */
class CrossNodeOrderingTest {

    private static final String SECRET = "cross-node-ordering-test-secret-0123456789";
    private static final byte[] SECRET_BYTES = SECRET.getBytes(StandardCharsets.UTF_8);
    private static final int NODES = 3;
    private static final int USERS = 6;
    private static final int MESSAGES_PER_USER = 500;
    private static final int MAX_TRIES_PER_SEND = 30;
    private static final Duration SETTLE = Duration.ofSeconds(90);

    private final MongoTestServer mongo = MongoTestServer.start();
    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final ScheduledExecutorService reconnects = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
        reconnects.shutdownNow();
        mongo.close();
    }

    @Test
    void everyReaderOnEveryNodeGetsEveryStoredSeqOnceAndInOrderWhileAllNodesAppendThroughARedisPause()
            throws Exception {
        RedisTestServer redis = RedisTestServer.startLocal();
        cleanup.add(redis);
        String database = "cross-node-" + UUID.randomUUID();
        String mongoUri = mongo.connectionString() + "/" + database;
        Map<String, String> env = Map.of("CHAT_JWT_SECRET", SECRET, "CHAT_MONGO_URI", mongoUri,
                "CHAT_REDIS_URI", redis.uri().toString(), "CHAT_PORT", "0",
                // Each user posts 500 messages as fast as the nodes answer, past the per-user REST send rate.
                "CHAT_REST_RATE_LIMITS", "off");
        List<RunningServer> nodes = new ArrayList<>();
        for (int n = 0; n < NODES; n++) {
            RunningServer node = ChatServerApp.start(ServerSettings.fromEnvironment(env));
            cleanup.add(node::stop);
            nodes.add(node);
        }
        List<String> users = new ArrayList<>();
        List<ResumingReader> readers = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            String user = "user-" + u;
            users.add(user);
            ResumingReader reader = new ResumingReader(nodes.get(u % NODES).port(), user, SECRET_BYTES, reconnects);
            cleanup.add(reader);
            readers.add(reader.connect());
        }
        ChatClient creator = new ChatClient(nodes.get(0).port(), users.get(0), SECRET_BYTES);
        String chatId = creator.createChat(users.subList(1, USERS).toArray(String[]::new));
        await().atMost(SETTLE).until(() -> readers.stream().allMatch(reader -> reader.knows(chatId)));

        AcknowledgedPosts posts = new AcknowledgedPosts(MAX_TRIES_PER_SEND);
        ExecutorService senders = Executors.newFixedThreadPool(USERS);
        try {
            List<Callable<Void>> work = new ArrayList<>();
            for (int u = 0; u < USERS; u++) {
                List<ChatClient> sender = List.of(
                        new ChatClient(nodes.get(u % NODES).port(), users.get(u), SECRET_BYTES));
                String clientMessageIdPrefix = users.get(u) + "-";
                work.add(() -> {
                    for (int i = 0; i < MESSAGES_PER_USER; i++) {
                        posts.post(sender, chatId, clientMessageIdPrefix + i);
                    }
                    return null;
                });
            }
            List<Future<Void>> sending = work.stream().map(senders::submit).toList();
            int total = USERS * MESSAGES_PER_USER;
            await().atMost(SETTLE).until(() -> posts.acknowledgedCount() >= total / 3);
            redis.signal("STOP");
            int pausedAt = posts.acknowledgedCount();
            // Paused until the nodes have gone on storing a while without Redis, not for a length of time.
            await().atMost(SETTLE).until(() -> posts.acknowledgedCount() >= pausedAt + 3 * USERS);
            redis.signal("CONT");
            for (Future<Void> sent : sending) {
                sent.get();
            }
        } finally {
            senders.shutdownNow();
        }

        List<Long> stored = posts.storedSeqs(mongoUri, database, chatId);
        assertThat(stored).as("every acknowledged message is stored, once").hasSizeGreaterThanOrEqualTo(
                USERS * MESSAGES_PER_USER);
        long newest = stored.get(stored.size() - 1);
        for (ResumingReader reader : readers) {
            await().atMost(SETTLE).until(() -> {
                List<Long> got = reader.seqs(chatId);
                return !got.isEmpty() && got.get(got.size() - 1) == newest;
            });
            assertThat(reader.seqs(chatId)).as("the seqs %s got, in arrival order, over %d sockets", reader.userId,
                    reader.connects()).containsExactlyElementsOf(stored);
        }
    }
}
