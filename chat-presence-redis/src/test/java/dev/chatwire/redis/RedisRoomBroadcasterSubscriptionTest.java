package dev.chatwire.redis;

import dev.chatwire.core.spi.RoomEvent;
import dev.chatwire.core.spi.RoomListener;
import dev.chatwire.core.spi.Subscription;
import dev.chatwire.testing.RedisTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.chatwire.redis.RecordingListener.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** How {@link RedisRoomBroadcaster} manages its Redis subscriptions and calls its listeners. */
class RedisRoomBroadcasterSubscriptionTest {

    private final String prefix = RedisTestServer.randomPrefix();
    private final String room = "room-" + UUID.randomUUID();
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeNodes() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    private RedisRoomBroadcaster node(String nodeId) {
        RedisClient jedis = TestRedisClients.newClient(RedisTestServer.shared());
        RedisRoomBroadcaster node = RedisRoomBroadcaster.builder(jedis).keyPrefix(prefix).nodeId(nodeId).build();
        opened.add(jedis);
        opened.add(node);
        return node;
    }

    @Test
    void aRoomChannelIsSubscribedOnlyWhileTheRoomHasLocalListeners() throws InterruptedException {
        RedisRoomBroadcaster a = node("a");
        Subscription first = a.subscribe(room, new RecordingListener());
        Subscription second = a.subscribe(room, new RecordingListener());
        assertThat(subscribers(channel(room))).isEqualTo(1);

        first.close();
        Thread.sleep(200);
        assertThat(subscribers(channel(room))).as("one local listener is left").isEqualTo(1);

        second.close();
        await().until(() -> subscribers(channel(room)) == 0);

        a.subscribe(room, new RecordingListener());
        assertThat(subscribers(channel(room))).isEqualTo(1);
    }

    @Test
    void eventsPublishedAsSoonAsSubscribeReturnsArriveInEveryRoom() {
        RedisRoomBroadcaster a = node("a");
        RedisRoomBroadcaster b = node("b");
        List<RecordingListener> listeners = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            RecordingListener listener = new RecordingListener();
            listeners.add(listener);
            b.subscribe(room + i, listener);
            a.publish(room + i, event(i));
        }
        for (int i = 0; i < listeners.size(); i++) {
            RecordingListener listener = listeners.get(i);
            await().until(() -> !listener.events.isEmpty());
            assertThat(listener.events).containsExactly(event(i));
        }
    }

    @Test
    void aFailingListenerDoesNotKeepEventsFromTheOthers() {
        RedisRoomBroadcaster a = node("a");
        RedisRoomBroadcaster b = node("b");
        RoomListener failing = event -> {
            throw new IllegalStateException("listener bug");
        };
        RecordingListener local = new RecordingListener();
        RecordingListener remote = new RecordingListener();
        a.subscribe(room, failing);
        a.subscribe(room, local);
        b.subscribe(room, failing);
        b.subscribe(room, remote);

        a.publish(room, event(1));
        a.publish(room, event(2));

        assertThat(local.events).containsExactly(event(1), event(2));
        await().until(() -> remote.events.size() == 2);
        assertThat(remote.events).containsExactly(event(1), event(2));
    }

    @Test
    void closingTheBroadcasterUnsubscribesItsConnectionAndStopsDelivery() {
        RedisRoomBroadcaster a = node("a");
        RedisRoomBroadcaster b = node("b");
        RecordingListener onB = new RecordingListener();
        b.subscribe(room, onB);
        assertThat(subscribers(channel(room))).isEqualTo(1);
        assertThat(subscribers(prefix + "node:b")).isEqualTo(1);

        b.close();

        await().until(() -> subscribers(channel(room)) == 0 && subscribers(prefix + "node:b") == 0);
        a.publish(room, event(1));
        assertThat(onB.events).isEmpty();
    }

    @Test
    void sameNodeListenersGetTheirOwnNodesEventsOnceAndSynchronously() {
        RedisRoomBroadcaster a = node("a");
        RecordingListener listener = new RecordingListener();
        a.subscribe(room, listener);
        RoomEvent typing = new RoomEvent("typing", null, 0, "{\"type\":\"typing\"}");

        a.publish(room, typing);

        assertThat(listener.events).containsExactly(typing);
    }

    private String channel(String roomName) {
        return prefix + "room:" + roomName;
    }

    private static long subscribers(String channel) {
        try (Jedis admin = new Jedis(RedisTestServer.shared().uri())) {
            return admin.pubsubNumSub(channel).get(channel);
        }
    }
}
