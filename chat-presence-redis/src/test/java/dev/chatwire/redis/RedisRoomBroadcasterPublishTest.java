package dev.chatwire.redis;

import dev.chatwire.core.spi.RoomEvent;
import dev.chatwire.redis.testing.RedisTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisClient;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static dev.chatwire.redis.RecordingListener.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link RedisRoomBroadcaster#publish} hands its PUBLISH to the broadcaster's own thread: a publisher never waits for
 * Redis, the node's events still reach the other nodes in order, and closing lets those queued go out.
 */
class RedisRoomBroadcasterPublishTest {

    private static final Duration DELIVERY = Duration.ofSeconds(10);

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
        server.signal("CONT");
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    private RedisClient client() {
        RedisClient jedis = server.newClient();
        opened.add(jedis);
        return jedis;
    }

    private RedisRoomBroadcaster node(String nodeId) {
        RedisRoomBroadcaster node = RedisRoomBroadcaster.builder(client()).keyPrefix(prefix).nodeId(nodeId).build();
        opened.add(node);
        return node;
    }

    @Test
    void publishingReturnsWhileRedisStopsAnsweringAndTheEventsGoOutInOrderOnceItAnswersAgain() throws Exception {
        RedisRoomBroadcaster a = node("a");
        RedisRoomBroadcaster b = node("b");
        RecordingListener onB = new RecordingListener();
        b.subscribe(room, onB);
        a.publish(room, event(0));
        await().atMost(DELIVERY).until(() -> onB.events.size() == 1);

        server.signal("STOP");
        // A PUBLISH waiting for its answer would hold the publisher for the client's 2 s timeout, fifty of them 100 s.
        CompletableFuture<Void> publishing = CompletableFuture.runAsync(
                () -> LongStream.rangeClosed(1, 50).forEach(seq -> a.publish(room, event(seq))));
        publishing.get(1, TimeUnit.SECONDS);
        server.signal("CONT");

        await().atMost(DELIVERY).until(() -> onB.events.size() == 51);
        assertThat(onB.events).containsExactlyElementsOf(
                LongStream.rangeClosed(0, 50).mapToObj(RecordingListener::event).toList());
        assertThat(onB.gaps.get()).isZero();
    }

    @Test
    void closingLetsTheEventsAlreadyPublishedGoOut() {
        RedisRoomBroadcaster a = node("a");
        RedisRoomBroadcaster b = node("b");
        RecordingListener onB = new RecordingListener();
        b.subscribe(room, onB);
        List<RoomEvent> published = LongStream.rangeClosed(1, 2_000).mapToObj(RecordingListener::event).toList();

        published.forEach(event -> a.publish(room, event));
        a.close();

        await().atMost(DELIVERY).until(() -> onB.events.size() == published.size());
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
}
