package dev.chatwire.core;

import dev.chatwire.core.memory.InMemoryRoomBroadcaster;
import dev.chatwire.core.spi.RoomBroadcaster;
import dev.chatwire.core.spi.RoomEvent;
import dev.chatwire.core.spi.RoomListener;
import dev.chatwire.core.spi.Subscription;
import dev.chatwire.core.spi.UnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class LocalRoomsTest {

    private final EngineFixture fixture = new EngineFixture();
    private final ExecutorService joiners = Executors.newCachedThreadPool();
    private final CountDownLatch slowRoomMaySubscribe = new CountDownLatch(1);
    private final Map<String, AtomicInteger> subscribeCalls = new ConcurrentHashMap<>();
    private volatile boolean failSubscribes;

    /** Subscribes to "slow" only when the test says so, as a Redis SUBSCRIBE waiting for its confirmation would. */
    private final RoomBroadcaster broadcaster = new RoomBroadcaster() {
        private final InMemoryRoomBroadcaster delegate = new InMemoryRoomBroadcaster();

        @Override
        public Subscription subscribe(String room, RoomListener listener) {
            subscribeCalls.computeIfAbsent(room, r -> new AtomicInteger()).incrementAndGet();
            if (failSubscribes) {
                throw new UnavailableException("broadcaster down");
            }
            if (room.equals("slow")) {
                try {
                    slowRoomMaySubscribe.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return delegate.subscribe(room, listener);
        }

        @Override
        public void publish(String room, RoomEvent event) {
            delegate.publish(room, event);
        }
    };
    private final List<RoomEvent> delivered = new ArrayList<>();
    private final LocalRooms rooms = new LocalRooms(broadcaster, new LocalRooms.RoomHandler() {
        @Override
        public void onEvent(String room, Set<Session> members, RoomEvent event) {
            synchronized (delivered) {
                members.forEach(member -> delivered.add(event));
            }
        }

        @Override
        public void onGap(String room, Set<Session> members) {
        }
    });

    @AfterEach
    void stop() {
        slowRoomMaySubscribe.countDown();
        joiners.shutdownNow();
        fixture.close();
    }

    private Session session(String id) {
        return new Session(id, fixture.engine, new FakeConnection());
    }

    @Test
    void aRoomWhoseSubscriptionIsSlowHoldsUpNoJoinOfAnotherRoom() throws Exception {
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> rooms.join("slow", session("a")), joiners);
        await().until(() -> subscribeCalls.containsKey("slow"));
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> rooms.join("slow", session("b")), joiners);

        rooms.join("fast", session("c"));

        assertThat(first).isNotDone();
        assertThat(second).isNotDone();
        slowRoomMaySubscribe.countDown();
        CompletableFuture.allOf(first, second).get(10, TimeUnit.SECONDS);
        assertThat(subscribeCalls.get("slow")).hasValue(1);
        broadcaster.publish("slow", new RoomEvent("typing", "c1", 0, "{}"));
        assertThat(delivered).hasSize(2);
    }

    @Test
    void aCapOnARoomHoldsWhenManySessionsJoinAtOnce() throws Exception {
        List<CompletableFuture<Boolean>> joins = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Session session = session("s" + i);
            joins.add(CompletableFuture.supplyAsync(() -> rooms.joinIfFewerThan("user:alice", session, 16), joiners));
        }
        CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

        assertThat(joins.stream().filter(CompletableFuture::join).count()).isEqualTo(16);
        assertThat(rooms.members("user:alice")).hasSize(16);
        assertThat(subscribeCalls.get("user:alice")).hasValue(1);
    }

    @Test
    void aFailedSubscriptionLeavesNoMemberAndTheNextJoinSubscribesAgain() {
        failSubscribes = true;
        assertThatThrownBy(() -> rooms.join("room", session("a"))).isInstanceOf(UnavailableException.class);
        assertThat(rooms.members("room")).isEmpty();

        failSubscribes = false;
        rooms.join("room", session("b"));

        assertThat(rooms.members("room")).hasSize(1);
        assertThat(subscribeCalls.get("room")).hasValue(2);
    }

    @Test
    void theLastLeaveUnsubscribesAndARejoinSubscribesAfresh() {
        Session a = session("a");
        rooms.join("room", a);
        rooms.leave("room", a);
        broadcaster.publish("room", new RoomEvent("typing", "c1", 0, "{}"));
        assertThat(delivered).isEmpty();

        rooms.join("room", session("b"));
        broadcaster.publish("room", new RoomEvent("typing", "c1", 0, "{}"));

        assertThat(delivered).hasSize(1);
        assertThat(subscribeCalls.get("room")).hasValue(2);
    }
}
