package dev.chatwire.redis;

import dev.chatwire.core.spi.HealthCheck;
import dev.chatwire.redis.testing.RedisTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.chatwire.redis.RecordingListener.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@link RedisRoomBroadcaster} when Redis stops or hangs and comes back: local delivery, reconnection, gaps. */
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

    private RedisRoomBroadcaster node(String nodeId) {
        RedisClient jedis = server.newClient();
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

    private long subscribers(String room) {
        try (Jedis admin = new Jedis(server.uri())) {
            return admin.pubsubNumSub(prefix + "room:" + room).get(prefix + "room:" + room);
        }
    }
}
