package dev.chatwire.core;

import dev.chatwire.core.memory.InMemoryRoomBroadcaster;
import dev.chatwire.core.spi.RoomBroadcaster;
import dev.chatwire.core.spi.RoomEvent;
import dev.chatwire.core.spi.RoomListener;
import dev.chatwire.core.spi.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.LongStream;

import static dev.chatwire.core.EngineFixture.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ChatEngineResumeTest {

    private final EngineFixture fixture = new EngineFixture(ChatLimits.defaults().toBuilder()
            .replayPageSize(50).build());
    private final ChatEngine engine = fixture.engine;

    @AfterEach
    void close() {
        fixture.close();
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void resumeReplaysExactlyWhatWasMissedThenGoesLive() {
        Chat chat = fixture.chat("alice", "bob");
        for (int i = 0; i < 30; i++) {
            engine.send(user("alice"), chat.id(), "m" + i, null);
        }

        FakeConnection bob = EngineFixture.connect(engine, "bob", Map.of(chat.id(), 12L));
        engine.send(user("alice"), chat.id(), "live", null);

        await().until(() -> bob.messageSeqs(chat.id()).size() >= 19);
        assertThat(bob.messageSeqs(chat.id())).containsExactlyElementsOf(range(13, 31));
        List<String> types = bob.received.stream().map(f -> f.path("type").asText()).toList();
        assertThat(types.indexOf("connected")).isLessThan(types.indexOf("new_message"));
    }

    @Test
    void resumeWithMessagesArrivingMidReplayIsGapFreeAndDuplicateFree() throws Exception {
        Chat chat = fixture.chat("alice", "bob");
        for (int i = 0; i < 1000; i++) {
            engine.send(user("alice"), chat.id(), "old " + i, null);
        }
        CompletableFuture<Void> liveTraffic = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 500; i++) {
                engine.send(user("alice"), chat.id(), "new " + i, null);
            }
        });

        FakeConnection bob = EngineFixture.connect(engine, "bob", Map.of(chat.id(), 100L));
        liveTraffic.get();

        await().until(() -> bob.messageSeqs(chat.id()).size() >= 1400);
        assertThat(bob.messageSeqs(chat.id())).containsExactlyElementsOf(range(101, 1500));
    }

    @Test
    void resumingTwoBusyChatsOnAConnectionThatCompletesWritesElsewhereReplaysBothInFull() {
        Chat first = fixture.chat("alice", "bob");
        Chat second = fixture.chat("alice", "bob");
        int perChat = 5000;
        for (int i = 0; i < perChat; i++) {
            engine.send(user("alice"), first.id(), "first " + i, null);
            engine.send(user("alice"), second.id(), "second " + i, null);
        }
        FakeConnection bob = new FakeConnection();
        bob.stall();
        Session session = (Session) engine.open(bob);
        bob.session = session;
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            session.authenticate("valid:bob", Map.of(first.id(), 0L, second.id(), 0L));
            // Both replays wait for the queue to drain before the writes start completing. (Whether the second sent
            // anything before the first filled the queue depends on the executor's timing, so that is not awaited.)
            await().until(() -> session.outbound().drainWaiters() == 2);
            bob.completeWritesOn(writer);

            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(bob.messageSeqs(first.id())).as("first chat").hasSizeGreaterThanOrEqualTo(perChat);
                assertThat(bob.messageSeqs(second.id())).as("second chat").hasSizeGreaterThanOrEqualTo(perChat);
            });
            assertThat(bob.messageSeqs(first.id())).containsExactlyElementsOf(range(1, perChat));
            assertThat(bob.messageSeqs(second.id())).containsExactlyElementsOf(range(1, perChat));
        } finally {
            writer.shutdownNow();
        }
    }

    @Test
    void aConnectionWithoutResumeGetsOnlyWhatComesAfterIt() {
        Chat chat = fixture.chat("alice", "bob");
        engine.send(user("alice"), chat.id(), "before", null);

        FakeConnection bob = fixture.connect("bob");
        engine.send(user("alice"), chat.id(), "after", null);

        await().until(() -> !bob.messageSeqs(chat.id()).isEmpty());
        assertThat(bob.messageSeqs(chat.id())).containsExactly(2L);
    }

    @Test
    void resumeOnAnOpenSocketReplaysAgain() {
        Chat chat = fixture.chat("alice", "bob");
        for (int i = 0; i < 5; i++) {
            engine.send(user("alice"), chat.id(), "m" + i, null);
        }
        FakeConnection bob = fixture.connect("bob");

        EngineFixture.sendFrame(bob, "{\"type\":\"connect\",\"token\":\"valid:bob\",\"resume\":{\"" + chat.id()
                + "\":3}}");

        await().until(() -> bob.messageSeqs(chat.id()).size() >= 2);
        assertThat(bob.messageSeqs(chat.id())).containsExactly(4L, 5L);
        assertThat(bob.ofType("connected")).hasSize(1);
    }

    @Test
    void eventsLostBetweenNodesAreRepairedFromTheStore() {
        LossyBroadcaster lossy = new LossyBroadcaster(fixture.broadcaster);
        try (ChatEngine nodeB = fixture.builder().roomBroadcaster(lossy).build()) {
            Chat chat = fixture.chat("alice", "bob");
            FakeConnection bobOnB = EngineFixture.connect(nodeB, "bob", Map.of());
            FakeConnection aliceOnA = fixture.connect("alice");

            engine.send(user("alice"), chat.id(), "1", null);
            await().until(() -> bobOnB.messageSeqs(chat.id()).size() == 1);
            lossy.dropping = true;
            engine.send(user("alice"), chat.id(), "2 (lost on the way to B)", null);
            engine.send(user("alice"), chat.id(), "3 (lost on the way to B)", null);
            lossy.dropping = false;
            engine.send(user("alice"), chat.id(), "4", null);

            await().until(() -> bobOnB.messageSeqs(chat.id()).size() >= 4);
            assertThat(bobOnB.messageSeqs(chat.id())).containsExactly(1L, 2L, 3L, 4L);
            assertThat(aliceOnA.messageSeqs(chat.id())).containsExactly(1L, 2L, 3L, 4L);
        }
    }

    @Test
    void aGapSignalFromTheBroadcasterRepairsEvenWithoutFurtherTraffic() {
        LossyBroadcaster lossy = new LossyBroadcaster(fixture.broadcaster);
        try (ChatEngine nodeB = fixture.builder().roomBroadcaster(lossy).build()) {
            Chat chat = fixture.chat("alice", "bob");
            FakeConnection bobOnB = EngineFixture.connect(nodeB, "bob", Map.of());

            lossy.dropping = true;
            engine.send(user("alice"), chat.id(), "lost", null);
            engine.send(user("alice"), chat.id(), "lost too", null);
            lossy.dropping = false;
            lossy.signalGap();

            await().atMost(Duration.ofSeconds(5)).until(() -> bobOnB.messageSeqs(chat.id()).size() >= 2);
            assertThat(bobOnB.messageSeqs(chat.id())).containsExactly(1L, 2L);
        }
    }

    @Test
    void connectionsOnTwoNodesSharingABroadcasterAllReceiveEachMessageOnce() throws InterruptedException {
        try (ChatEngine nodeB = fixture.builder().build()) {
            Chat chat = fixture.chat("alice", "bob");
            FakeConnection aliceOnA = fixture.connect("alice");
            FakeConnection aliceOnB = EngineFixture.connect(nodeB, "alice", Map.of());
            FakeConnection bobOnB = EngineFixture.connect(nodeB, "bob", Map.of());

            nodeB.send(user("bob"), chat.id(), "from B", null);
            engine.send(user("alice"), chat.id(), "from A", null);

            for (FakeConnection connection : List.of(aliceOnA, aliceOnB, bobOnB)) {
                await().until(() -> connection.messageSeqs(chat.id()).size() >= 2);
            }
            fixture.awaitIdle();
            for (FakeConnection connection : List.of(aliceOnA, aliceOnB, bobOnB)) {
                assertThat(connection.messageSeqs(chat.id())).containsExactly(1L, 2L);
            }
        }
    }

    /** A node's view of a shared broadcaster that can lose events on their way in, as Redis pub/sub may. */
    static final class LossyBroadcaster implements RoomBroadcaster {
        private final InMemoryRoomBroadcaster shared;
        private final List<RoomListener> listeners = new CopyOnWriteArrayList<>();
        volatile boolean dropping;

        LossyBroadcaster(InMemoryRoomBroadcaster shared) {
            this.shared = shared;
        }

        @Override
        public Subscription subscribe(String room, RoomListener listener) {
            RoomListener filtering = new RoomListener() {
                @Override
                public void onEvent(RoomEvent event) {
                    if (!dropping) {
                        listener.onEvent(event);
                    }
                }

                @Override
                public void onGap() {
                    listener.onGap();
                }
            };
            listeners.add(filtering);
            Subscription subscription = shared.subscribe(room, filtering);
            return () -> {
                listeners.remove(filtering);
                subscription.close();
            };
        }

        @Override
        public void publish(String room, RoomEvent event) {
            shared.publish(room, event);
        }

        void signalGap() {
            listeners.forEach(RoomListener::onGap);
        }
    }
}
