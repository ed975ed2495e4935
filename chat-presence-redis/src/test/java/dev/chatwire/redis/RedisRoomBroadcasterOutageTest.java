package dev.chatwire.redis;

import dev.chatwire.core.spi.HealthCheck;
import dev.chatwire.core.spi.RoomEvent;
import dev.chatwire.testing.RedisTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.chatwire.redis.RecordingListener.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link RedisRoomBroadcaster} when Redis stops or hangs and comes back: local delivery, reconnection, gaps; and its
 * PUBLISHes, which go out from a thread of its own, so that a publisher never waits for Redis.
 */
class RedisRoomBroadcasterOutageTest {

    private static final Duration RECOVERY = Duration.ofSeconds(10);
    private static final Duration QUIET = Duration.ofMillis(300);

    private static RedisTestServer server;
    private final String prefix = RedisTestServer.randomPrefix();
    private final String room = "room-" + UUID.randomUUID();
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    static void startServer() {
        server = RedisTestServer.startLocal();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void cleanUp() throws Exception {
        server.start();
        server.signal("CONT");
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    private RedisClient client() {
        RedisClient jedis = TestRedisClients.newClient(server);
        opened.add(jedis);
        return jedis;
    }

    /** A node that PINGs Redis only every 5 s, so that a short pause does not make it reconnect. */
    private RedisRoomBroadcaster nodeWithDefaults(String nodeId) {
        RedisRoomBroadcaster node = RedisRoomBroadcaster.builder(client()).keyPrefix(prefix).nodeId(nodeId).build();
        opened.add(node);
        return node;
    }

    private RedisRoomBroadcaster node(String nodeId) {
        RedisClient jedis = TestRedisClients.newClient(server);
        RedisRoomBroadcaster node = RedisRoomBroadcaster.builder(jedis)
                .keyPrefix(prefix).nodeId(nodeId)
                .maxReconnectDelay(Duration.ofMillis(300))
                .pingInterval(Duration.ofMillis(300))
                .build();
        opened.add(jedis);
        opened.add(node);
        return node;
    }

    @Test
    void whileRedisIsDownPublishDeliversLocallyAndAfterARestartListenersRepairAndEventsFlowAgain() throws Exception {
        RedisRoomBroadcaster a = node("a");
        RedisRoomBroadcaster b = node("b");
        RecordingListener onA = new RecordingListener();
        RecordingListener onB = new RecordingListener();
        a.subscribe(room, onA);
        b.subscribe(room, onB);
        await().atMost(RECOVERY).until(() -> a.checkHealth().up());

        server.stop();
        assertThat(a.checkHealth().up()).isFalse();
        long started = System.nanoTime();
        a.publish(room, event(1));
        RecordingListener joinedWhileDown = new RecordingListener();
        String otherRoom = "room-" + UUID.randomUUID();
        a.subscribe(otherRoom, joinedWhileDown);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(onA.events).containsExactly(event(1));

        server.start();

        await().atMost(RECOVERY).until(() -> onA.gaps.get() >= 1 && onB.gaps.get() >= 1
                && joinedWhileDown.gaps.get() >= 1);
        assertThat(subscribers(room)).isEqualTo(2);
        assertThat(a.checkHealth()).isEqualTo(HealthCheck.Health.up("Redis PING answered; room subscriber subscribed"));
        a.publish(room, event(2));
        b.publish(otherRoom, event(3));
        await().atMost(RECOVERY).until(() -> onB.events.size() >= 1 && joinedWhileDown.events.size() >= 1);
        Thread.sleep(QUIET.toMillis());
        assertThat(onB.events).as("what was published during the outage is lost, not replayed")
                .containsExactly(event(2));
        assertThat(onA.events).containsExactly(event(1), event(2));
        assertThat(joinedWhileDown.events).containsExactly(event(3));
    }

    @Test
    void aServerThatStopsAnsweringIsDetectedAndTheSubscriberMovesToANewConnectionWithoutDuplicates()
            throws Exception {
        RedisRoomBroadcaster a = node("a");
        RedisRoomBroadcaster b = node("b");
        RecordingListener onB = new RecordingListener();
        b.subscribe(room, onB);

        server.signal("STOP");
        // Long enough for several unanswered PINGs: the subscriber must give up on its connection.
        Thread.sleep(1500);
        server.signal("CONT");

        await().atMost(RECOVERY).until(() -> onB.gaps.get() >= 1);
        await().atMost(RECOVERY).until(() -> subscribers(room) == 1);
        a.publish(room, event(1));
        await().atMost(RECOVERY).until(() -> onB.events.size() >= 1);
        Thread.sleep(QUIET.toMillis());
        assertThat(onB.events).containsExactly(event(1));
    }

    @Test
    void publishingReturnsWhileRedisStopsAnsweringAndTheEventsGoOutInOrderOnceItAnswersAgain() throws Exception {
        RedisRoomBroadcaster a = nodeWithDefaults("a");
        RedisRoomBroadcaster b = nodeWithDefaults("b");
        RecordingListener onB = new RecordingListener();
        b.subscribe(room, onB);
        a.publish(room, event(0));
        await().atMost(RECOVERY).until(() -> onB.events.size() == 1);

        server.signal("STOP");
        // A PUBLISH waiting for its answer would hold the publisher for the client's 2 s timeout, fifty of them 100 s.
        CompletableFuture<Void> publishing = CompletableFuture.runAsync(
                () -> RecordingListener.events(1, 50).forEach(event -> a.publish(room, event)));
        publishing.get(1, TimeUnit.SECONDS);
        server.signal("CONT");

        await().atMost(RECOVERY).until(() -> onB.events.size() == 51);
        assertThat(onB.events).containsExactlyElementsOf(RecordingListener.events(0, 50));
        assertThat(onB.gaps.get()).isZero();
    }

    @Test
    void closingLetsTheEventsAlreadyPublishedGoOut() {
        RedisRoomBroadcaster a = nodeWithDefaults("a");
        RedisRoomBroadcaster b = nodeWithDefaults("b");
        RecordingListener onB = new RecordingListener();
        b.subscribe(room, onB);
        List<RoomEvent> published = RecordingListener.events(1, 2_000);

        published.forEach(event -> a.publish(room, event));
        a.close();

        await().atMost(RECOVERY).until(() -> onB.events.size() == published.size());
        assertThat(onB.events).containsExactlyElementsOf(published);
    }

    @Test
    void aFullQueueDropsWhatComesNextInsteadOfBlocking() throws Exception {
        RateLimitedLog log = new RateLimitedLog(LoggerFactory.getLogger(getClass()), Clock.systemUTC(),
                Duration.ofSeconds(30));
        try (PublishQueue queue = new PublishQueue(client(), "full", log)) {
            server.signal("STOP");
            int accepted = 0;
            for (int i = 0; i < PublishQueue.CAPACITY + 1_000; i++) {
                accepted += queue.offer(prefix + "room:" + room, "event " + i) ? 1 : 0;
            }
            // The sender took at most one pipeline's worth (500) off the queue before its round trip hung.
            assertThat(accepted).isBetween(PublishQueue.CAPACITY, PublishQueue.CAPACITY + 500);
            assertThat(queue.waiting()).isEqualTo(PublishQueue.CAPACITY);
            server.signal("CONT");
        }
    }

    private long subscribers(String room) {
        try (Jedis admin = new Jedis(server.uri())) {
            return admin.pubsubNumSub(prefix + "room:" + room).get(prefix + "room:" + room);
        }
    }
}
