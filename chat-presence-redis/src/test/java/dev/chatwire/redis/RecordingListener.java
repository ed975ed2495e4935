package dev.chatwire.redis;

import dev.chatwire.core.spi.RoomEvent;
import dev.chatwire.core.spi.RoomListener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

/** Records the events and gaps a room listener receives. */
final class RecordingListener implements RoomListener {

    final List<RoomEvent> events = new CopyOnWriteArrayList<>();
    final AtomicInteger gaps = new AtomicInteger();

    @Override
    public void onEvent(RoomEvent event) {
        events.add(event);
    }

    @Override
    public void onGap() {
        gaps.incrementAndGet();
    }

    /** The events {@link #event} makes for the seqs {@code from} to {@code to}, both included. */
    static List<RoomEvent> events(long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(RecordingListener::event).toList();
    }

    static RoomEvent event(long seq) {
        return new RoomEvent("new_message", "chat-1", seq, "{\"type\":\"new_message\",\"seq\":" + seq + "}");
    }
}
