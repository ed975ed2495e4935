package dev.chatwire.redis;

import dev.chatwire.core.spi.RoomEvent;
import dev.chatwire.core.spi.RoomListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/** A room with local listeners, and whether its channel is confirmed on the current subscriber link. */
final class Room {

    // Logs under the public class's name, the one hosts configure.
    private static final Logger LOG = LoggerFactory.getLogger(RedisRoomBroadcaster.class);

    final String channel;
    final CopyOnWriteArrayList<Entry> listeners = new CopyOnWriteArrayList<>();
    /** Redis confirmed the channel on the current link. Guarded by the lock of {@link RoomChannels}. */
    boolean confirmed;
    /** Listeners may have missed events; they get onGap when the channel is confirmed. Guarded by the same lock. */
    boolean gap;

    Room(String channel) {
        this.channel = channel;
    }

    /** Calls each open listener; one that throws does not keep the event from the others. */
    void deliver(RoomEvent event) {
        for (Entry entry : listeners) {
            if (entry.closed.get()) {
                continue;
            }
            try {
                entry.listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.error("a listener of {} failed", channel, e);
            }
        }
    }

    /** One subscription; the same listener subscribed twice is two entries. */
    static final class Entry {
        final RoomListener listener;
        final AtomicBoolean closed = new AtomicBoolean();

        Entry(RoomListener listener) {
            this.listener = listener;
        }
    }
}
