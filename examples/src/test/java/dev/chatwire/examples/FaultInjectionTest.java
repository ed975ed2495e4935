package dev.chatwire.examples;

import dev.chatwire.testing.MongoTestServer;
import dev.chatwire.testing.RedisTestServer;
import dev.chatwire.testing.TcpLink;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Workload, faults, checker (issue 17). Three example-server nodes, each a JVM of its own, share MongoDB and
 * {@code redis-server} through {@link TcpLink}s; thirty users in six chats of five, spread over the nodes, read
 * with sockets that resume whenever they close and post with {@code clientMessageId}s, retrying on another node until
 * acknowledged. Meanwhile the faults below come one after another, each lasting until the workload has moved on
 * (or, where nothing can be stored, until a post has failed), never for a length of time. The checker: every
 * acknowledged message is stored once under its acknowledged seq, and every reader ends with exactly its chat's stored
 * seqs, each once and in order.
 *
 * <p>In {@code mvn verify} one round of the faults runs (the smoke form). For the long run, set
 * {@code -Dchatwire.faults.minutes=10}: rounds repeat until that much time has passed.
 */
class FaultInjectionTest {

    private static final String SECRET = "fault-injection-test-secret-0123456789";
    private static final byte[] SECRET_BYTES = SECRET.getBytes(StandardCharsets.UTF_8);
    private static final int NODES = 3;
    private static final int CHATS = 6;
    private static final int MEMBERS = 5;
    /** Messages acknowledged while a fault lasts, for faults that let messages through. */
    private static final int PROGRESS_PER_FAULT = 30;
    private static final int MAX_TRIES_PER_SEND = 60;
    private static final Duration SETTLE = Duration.ofMinutes(3);
    private static final Duration LONG_RUN = Duration.ofMinutes(Long.getLong("chatwire.faults.minutes", 0));

    private final MongoTestServer mongo = MongoTestServer.start();
    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final AcknowledgedPosts posts = new AcknowledgedPosts(MAX_TRIES_PER_SEND);

    private RedisTestServer redis;
    private TcpLink redisLink;
    private TcpLink mongoLink;
    private final List<NodeProcess> nodes = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
        timers.shutdownNow();
        mongo.close();
    }

    @Test
    void noAcknowledgedMessageIsLostDuplicatedOrReorderedThroughBackendAndNodeFaults() throws Exception {
        redis = RedisTestServer.startLocal();
        cleanup.add(redis);
        mongoLink = TcpLink.to(mongo.port());
        cleanup.add(mongoLink);
        redisLink = TcpLink.to(redis.port());
        cleanup.add(redisLink);
        String database = "faults-" + UUID.randomUUID();
        Map<String, String> env = Map.of("CHAT_JWT_SECRET", SECRET,
                "CHAT_MONGO_URI", "mongodb://127.0.0.1:" + mongoLink.port() + "/" + database,
                "CHAT_REDIS_URI", "redis://127.0.0.1:" + redisLink.port(),
                "CHAT_PRESENCE_EXPIRY_SECONDS", "2",
                // Retries after a fault come in bursts; the per-user REST rates are the subject of other tests.
                "CHAT_REST_RATE_LIMITS", "off");
        for (int n = 0; n < NODES; n++) {
            NodeProcess node = NodeProcess.start("node-" + n, env);
            cleanup.add(node);
            nodes.add(node);
        }

        List<String> chatIds = new ArrayList<>();
        List<ResumingReader> readers = new ArrayList<>();
        for (int c = 0; c < CHATS; c++) {
            List<String> members = new ArrayList<>();
            for (int m = 0; m < MEMBERS; m++) {
                members.add("user-" + c + "-" + m);
            }
            for (int m = 0; m < MEMBERS; m++) {
                ResumingReader reader = new ResumingReader(nodes.get((c + m) % NODES).port(), members.get(m),
                        SECRET_BYTES, timers);
                cleanup.add(reader);
                readers.add(reader.connect());
            }
            ChatClient creator = new ChatClient(nodes.get(c % NODES).port(), members.get(0), SECRET_BYTES);
            chatIds.add(creator.createChat(members.subList(1, MEMBERS).toArray(String[]::new)));
        }
        for (int r = 0; r < readers.size(); r++) {
            String chatId = chatIds.get(r / MEMBERS);
            ResumingReader reader = readers.get(r);
            await().atMost(SETTLE).until(() -> reader.knows(chatId));
        }

        AtomicBoolean sending = new AtomicBoolean(true);
        long started = System.nanoTime();
        int rounds = 0;
        ExecutorService senders = Executors.newFixedThreadPool(CHATS * MEMBERS);
        try {
            List<Future<Integer>> sent = new ArrayList<>();
            for (int c = 0; c < CHATS; c++) {
                for (int m = 0; m < MEMBERS; m++) {
                    sent.add(senders.submit(sender(chatIds.get(c), "user-" + c + "-" + m, sending)));
                }
            }
            long end = System.nanoTime() + LONG_RUN.toNanos();
            do {
                runOneRoundOfFaults(rounds++);
            } while (System.nanoTime() - end < 0);
            sending.set(false);
            for (Future<Integer> done : sent) {
                done.get();
            }
        } finally {
            senders.shutdownNow();
        }

        String directUri = mongo.connectionString();
        FaultRunTable table = new FaultRunTable();
        List<Runnable> checks = new ArrayList<>();
        for (int r = 0; r < readers.size(); r++) {
            String chatId = chatIds.get(r / MEMBERS);
            List<Long> stored = posts.storedSeqs(directUri, database, chatId);
            ResumingReader reader = readers.get(r);
            long newest = stored.get(stored.size() - 1);
            try {
                await().atMost(SETTLE).until(() -> {
                    List<Long> got = reader.seqs(chatId);
                    return !got.isEmpty() && got.get(got.size() - 1) >= newest;
                });
            } catch (ConditionTimeoutException e) {
                // Counted as lost in the table, and failed below.
            }
            List<Long> got = reader.seqs(chatId);
            table.reader(reader.userId, chatId, stored, got, reader.connects());
            checks.add(() -> assertThat(got).as("the seqs %s got, in arrival order, over %d sockets",
                    reader.userId, reader.connects()).containsExactlyElementsOf(stored));
        }
        System.out.println(table.render(rounds, posts.acknowledgedCount(), posts.refusalCount(),
                Duration.ofNanos(System.nanoTime() - started).toSeconds()));
        checks.forEach(Runnable::run);
        assertThat(posts.acknowledgedCount()).as("messages acknowledged").isGreaterThanOrEqualTo(
                PROGRESS_PER_FAULT * 6);
    }

    /**
     * Each fault in turn, then a healed link; a fault that stops storing lasts until a post has failed. Round
     * {@code round} crashes node {@code round % 3}.
     */
    private void runOneRoundOfFaults(int round) throws Exception {
        redisLink.delay(Duration.ofMillis(20));
        awaitProgress(posts::acknowledgedCount);
        redisLink.heal();

        redisLink.refuse();
        awaitProgress(posts::acknowledgedCount);
        redisLink.heal();

        redis.signal("STOP");
        awaitProgress(posts::acknowledgedCount);
        redis.signal("CONT");

        redisLink.blackHole();
        awaitProgress(posts::acknowledgedCount);
        redisLink.heal();

        mongoLink.delay(Duration.ofMillis(20));
        awaitProgress(posts::acknowledgedCount);
        mongoLink.heal();

        mongoLink.refuse();
        awaitFailure();
        mongoLink.heal();

        mongoLink.blackHole();
        awaitFailure();
        mongoLink.heal();

        NodeProcess crashing = nodes.get(round % NODES);
        crashing.kill();
        awaitProgress(posts::acknowledgedCount);
        crashing.start();
        awaitProgress(posts::acknowledgedCount);
    }

    private static void awaitProgress(IntSupplier acknowledged) {
        int from = acknowledged.getAsInt();
        await().atMost(SETTLE).until(() -> acknowledged.getAsInt() >= from + PROGRESS_PER_FAULT);
    }

    private void awaitFailure() {
        int from = posts.refusalCount();
        await().atMost(SETTLE).until(() -> posts.refusalCount() > from);
    }

    /** One user posting to its chat until told to stop, through its own node first and the others after it. */
    private java.util.concurrent.Callable<Integer> sender(String chatId, String userId, AtomicBoolean sending) {
        int home = Math.floorMod(userId.hashCode(), NODES);
        List<ChatClient> viaNodes = new ArrayList<>();
        for (int n = 0; n < NODES; n++) {
            viaNodes.add(new ChatClient(nodes.get((home + n) % NODES).port(), userId, SECRET_BYTES));
        }
        return () -> {
            int i = 0;
            while (sending.get()) {
                posts.post(viaNodes, chatId, userId + "-" + i++);
            }
            return i;
        };
    }
}
