package dev.chatwire.core;

import dev.chatwire.core.memory.InMemoryRoomBroadcaster;
import dev.chatwire.core.spi.RoomBroadcaster;
import dev.chatwire.core.spi.RoomEvent;
import dev.chatwire.core.spi.RoomListener;
import dev.chatwire.core.spi.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

import static dev.chatwire.core.EngineFixture.user;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A removal made on one node stops the removed user's connections on another node at the removal's seq, however late
 * {@code chat_left} reaches that node: the removal is an entry of the chat's timeline, which every cursor meets in seq
 * order.
 */
class ChatEngineRemovalAcrossNodesTest {

    private final EngineFixture fixture = new EngineFixture();
    /** Node A: the fixture's engine, where the removals are made. */
    private final ChatEngine nodeA = fixture.engine;
    private final DelayingBroadcaster slowIntoB = new DelayingBroadcaster(fixture.broadcaster);
    /** Node B: shares the stores; the room events coming into it can be held back or lost. */
    private final ChatEngine nodeB = fixture.builder().roomBroadcaster(slowIntoB).build();

    @AfterEach
    void close() {
        nodeB.close();
        fixture.close();
    }

    private static List<Long> seqsAfter(FakeConnection connection, String chatId, long seq) {
        return connection.messageSeqs(chatId).stream().filter(s -> s > seq).toList();
    }

    @Test
    void messagesStoredAfterTheRemovalDoNotReachTheRemovedUserOnAnotherNodeWhileChatLeftIsLate() {
        Chat chat = nodeA.createChat(user("alice"), Set.of("bob", "carol"), "team");
        nodeA.send(user("alice"), chat.id(), "before", null);
        FakeConnection bobOnB = EngineFixture.connect(nodeB, "bob", Map.of());
        FakeConnection carolOnB = EngineFixture.connect(nodeB, "carol", Map.of());
        slowIntoB.holding.add("chat_left");

        nodeA.removeParticipant(user("alice"), chat.id(), "bob");
        long removalSeq = fixture.messages.lastSeq(chat.id());
        for (int i = 0; i < 3; i++) {
            nodeB.send(user("alice"), chat.id(), "after " + i, null);
        }

        carolOnB.awaitFrame("new_message", frame -> frame.path("message").path("seq").asLong() == removalSeq + 3);
        fixture.awaitIdle();
        assertThat(removalSeq).isEqualTo(2);
        assertThat(carolOnB.messageSeqs(chat.id())).containsExactly(3L, 4L, 5L);
        assertThat(carolOnB.ofType("chat_updated")).singleElement()
                .matches(frame -> frame.path("userId").asText().equals("bob"));
        assertThat(seqsAfter(bobOnB, chat.id(), removalSeq)).isEmpty();
        assertThat(bobOnB.ofType("chat_updated")).isEmpty();

        slowIntoB.release();
        bobOnB.awaitFrame("chat_left");
    }

    @Test
    void aRemovedUsersConnectionThatMissedTheRemovalsEventStopsAtItsEntryInTheStore() {
        Chat chat = nodeA.createChat(user("alice"), Set.of("bob"), "team");
        FakeConnection bobOnB = EngineFixture.connect(nodeB, "bob", Map.of());
        slowIntoB.holding.add("chat_left");
        slowIntoB.losing.add("chat_updated");

        nodeA.removeParticipant(user("alice"), chat.id(), "bob");
        nodeB.send(user("alice"), chat.id(), "after the removal", null);
        nodeB.send(user("alice"), chat.id(), "and another", null);
        // The messages come into B past a hole at the removal's seq: bob's cursor reads the store for it.
        fixture.awaitIdle();

        assertThat(fixture.messages.lastSeq(chat.id())).isEqualTo(3);
        assertThat(bobOnB.messageSeqs(chat.id())).isEmpty();
        slowIntoB.release();
        bobOnB.awaitFrame("chat_left");
        fixture.awaitIdle();
        assertThat(bobOnB.messageSeqs(chat.id())).isEmpty();
    }

    @Test
    void aUserAddedAgainIsNotStoppedByItsEarlierRemovalWhenItResumesFromBeforeIt() {
        Chat chat = nodeA.createChat(user("alice"), Set.of("bob"), "team");
        nodeA.send(user("alice"), chat.id(), "one", null);
        nodeA.removeParticipant(user("alice"), chat.id(), "bob");
        nodeA.send(user("alice"), chat.id(), "while bob is out", null);
        nodeA.addParticipant(user("alice"), chat.id(), "bob");

        FakeConnection bobOnB = EngineFixture.connect(nodeB, "bob", Map.of(chat.id(), 1L));
        nodeA.send(user("alice"), chat.id(), "welcome back", null);

        bobOnB.awaitFrame("new_message", frame -> frame.path("message").path("seq").asLong() == 4);
        assertThat(bobOnB.messageSeqs(chat.id())).containsExactly(3L, 4L);
    }

    /** A node's view of a shared broadcaster that holds some event types back until released, and loses others. */
    private static final class DelayingBroadcaster implements RoomBroadcaster {
        private final InMemoryRoomBroadcaster shared;
        final Set<String> holding = new CopyOnWriteArraySet<>();
        final Set<String> losing = new CopyOnWriteArraySet<>();
        private final List<Runnable> held = new ArrayList<>();

        DelayingBroadcaster(InMemoryRoomBroadcaster shared) {
            this.shared = shared;
        }

        @Override
        public Subscription subscribe(String room, RoomListener listener) {
            return shared.subscribe(room, new RoomListener() {
                @Override
                public void onEvent(RoomEvent event) {
                    if (losing.contains(event.type())) {
                        return;
                    }
                    if (holding.contains(event.type())) {
                        synchronized (held) {
                            held.add(() -> listener.onEvent(event));
                        }
                        return;
                    }
                    listener.onEvent(event);
                }

                @Override
                public void onGap() {
                    listener.onGap();
                }
            });
        }

        @Override
        public void publish(String room, RoomEvent event) {
            shared.publish(room, event);
        }

        /** Lets the held events in, in the order they came, and holds nothing more. */
        void release() {
            holding.clear();
            List<Runnable> due;
            synchronized (held) {
                due = List.copyOf(held);
                held.clear();
            }
            due.forEach(Runnable::run);
        }
    }
}
