package dev.chatwire.core.contract;

import dev.chatwire.core.spi.RoomBroadcaster;
import dev.chatwire.core.spi.RoomEvent;
import dev.chatwire.core.spi.RoomListener;
import dev.chatwire.core.spi.Subscription;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The behaviour every {@link RoomBroadcaster} must have. Extend it and return nodes that share one backend, isolated
 * from other tests (for example by a random key prefix).
 */
public abstract class RoomBroadcasterContract {

    /**
     * {@code count} broadcasters that behave like separate nodes sharing one fresh backend. A single-JVM broadcaster
     * may return the same instance {@code count} times.
     */
    protected abstract List<RoomBroadcaster> newNodes(int count);

    /** How long a cross-node delivery may take before the suite calls it lost. */
    protected Duration deliveryTimeout() {
        return Duration.ofSeconds(5);
    }

    /** How long to wait before concluding that something was (correctly) not delivered. */
    protected Duration quietPeriod() {
        return Duration.ofMillis(300);
    }

    /** Records what a listener receives. */
    protected static final class Recorder implements RoomListener {
        final List<RoomEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(RoomEvent event) {
            events.add(event);
        }
    }

    private static String room() {
        return "room-" + UUID.randomUUID();
    }

    private static RoomEvent event(String chatId, long seq) {
        return new RoomEvent("new_message", chatId, seq, "{\"type\":\"new_message\",\"seq\":" + seq + ",\"t\":\"é✓\"}");
    }

    @Test
    void publishReachesEverySubscriberOfTheRoomOnEveryNodeOnce() throws InterruptedException {
        List<RoomBroadcaster> nodes = newNodes(3);
        String room = room();
        List<Recorder> recorders = List.of(new Recorder(), new Recorder(), new Recorder());
        for (int i = 0; i < 3; i++) {
            nodes.get(i).subscribe(room, recorders.get(i));
        }
        RoomEvent event = event("chat-1", 7);

        nodes.get(0).publish(room, event);

        for (Recorder recorder : recorders) {
            await().atMost(deliveryTimeout()).until(() -> !recorder.events.isEmpty());
        }
        Thread.sleep(quietPeriod().toMillis());
        for (Recorder recorder : recorders) {
            assertThat(recorder.events).containsExactly(event);
        }
    }

    @Test
    void otherRoomsReceiveNothing() throws InterruptedException {
        List<RoomBroadcaster> nodes = newNodes(2);
        String room = room();
        Recorder inRoom = new Recorder();
        Recorder elsewhere = new Recorder();
        nodes.get(1).subscribe(room, inRoom);
        nodes.get(1).subscribe(room(), elsewhere);

        nodes.get(0).publish(room, event("c", 1));

        await().atMost(deliveryTimeout()).until(() -> inRoom.events.size() == 1);
        Thread.sleep(quietPeriod().toMillis());
        assertThat(elsewhere.events).isEmpty();
    }

    @Test
    void closedSubscriptionReceivesNothingMore() throws InterruptedException {
        List<RoomBroadcaster> nodes = newNodes(2);
        String room = room();
        Recorder closed = new Recorder();
        Recorder open = new Recorder();
        Subscription subscription = nodes.get(1).subscribe(room, closed);
        nodes.get(1).subscribe(room, open);

        subscription.close();
        subscription.close();
        nodes.get(0).publish(room, event("c", 1));

        await().atMost(deliveryTimeout()).until(() -> open.events.size() == 1);
        Thread.sleep(quietPeriod().toMillis());
        assertThat(closed.events).isEmpty();
    }

    @Test
    void eventsFromOneNodeArriveInPublishOrder() {
        List<RoomBroadcaster> nodes = newNodes(2);
        String room = room();
        Recorder local = new Recorder();
        Recorder remote = new Recorder();
        nodes.get(0).subscribe(room, local);
        nodes.get(1).subscribe(room, remote);

        for (long seq = 1; seq <= 200; seq++) {
            nodes.get(0).publish(room, event("c", seq));
        }

        for (Recorder recorder : List.of(local, remote)) {
            await().atMost(deliveryTimeout()).until(() -> recorder.events.size() >= 200);
            assertThat(recorder.events).extracting(RoomEvent::seq)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 200).boxed().toList());
        }
    }

    @Test
    void eventFieldsSurviveTheTrip() {
        List<RoomBroadcaster> nodes = newNodes(2);
        String room = room();
        Recorder remote = new Recorder();
        nodes.get(1).subscribe(room, remote);
        RoomEvent typing = new RoomEvent("typing", null, 0, "{\"type\":\"typing\",\"text\":\"line\\nbreak ü 😀\"}");

        nodes.get(0).publish(room, typing);

        await().atMost(deliveryTimeout()).until(() -> remote.events.size() == 1);
        assertThat(remote.events.get(0)).isEqualTo(typing);
    }

    @Test
    void publishingToARoomWithoutSubscribersIsHarmless() {
        List<RoomBroadcaster> nodes = newNodes(1);
        nodes.get(0).publish(room(), event("c", 1));
        Recorder later = new Recorder();
        String room = room();
        nodes.get(0).subscribe(room, later);
        nodes.get(0).publish(room, event("c", 2));
        await().atMost(deliveryTimeout()).until(() -> later.events.size() == 1);
    }
}
