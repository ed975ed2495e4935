package dev.chatwire.redis;

import dev.chatwire.core.spi.RoomEvent;
import dev.chatwire.core.spi.RoomListener;
import dev.chatwire.core.spi.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The rooms a {@link RedisRoomBroadcaster} has local listeners for, and their channels' state on the subscriber link:
 * which link is current, which channels Redis confirmed on it, and which rooms' listeners missed events and get
 * {@code onGap} once their channel is confirmed. Each {@link SubscriberLink} reports here what Redis confirms and
 * sends; the {@link LinkSupervisor} reports links that ended or went silent.
 *
 * <p>Thread-safe. One lock guards this state and serializes every command written to the subscriber connection, so
 * that no command goes out on a link this state no longer holds current. Listeners are called outside it.
 */
final class RoomChannels {

    // Logs under the public class's name, the one hosts configure.
    private static final Logger LOG = LoggerFactory.getLogger(RedisRoomBroadcaster.class);

    private final String nodeId;
    private final Duration subscribeTimeout;
    private final RateLimitedLog badMessages;
    /** Rooms with local listeners, by channel. Changed only while holding {@link #lock}. */
    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
    /** Guards the link state below and serializes every command written to the subscriber connection. */
    private final Object lock = new Object();
    private SubscriberLink link;
    private LinkState state = LinkState.CONNECTING;
    private boolean everConnected;
    /** SUBSCRIBE commands sent on {@link #link} and not yet confirmed, by channel. */
    private final Map<String, Integer> unconfirmed = new HashMap<>();
    /** Incremented when a silent connection is abandoned; a link of an older generation is ignored. */
    private volatile long generation;
    private volatile boolean closed;

    RoomChannels(String nodeId, Duration subscribeTimeout, RateLimitedLog badMessages) {
        this.nodeId = nodeId;
        this.subscribeTimeout = subscribeTimeout;
        this.badMessages = badMessages;
    }

    /** Registers the listener; blocks until Redis confirmed the channel, at most the subscribe timeout. */
    Subscription subscribe(String channel, RoomListener listener) {
        Room.Entry entry = new Room.Entry(listener);
        Room target;
        synchronized (lock) {
            ensureOpen();
            target = rooms.get(channel);
            if (target == null) {
                target = new Room(channel);
                rooms.put(channel, target);
                if (link != null) {
                    sendSubscribe(link, channel);
                }
            }
            target.listeners.add(entry);
            if (!target.confirmed) {
                awaitConfirmation(target);
            }
        }
        Room subscribed = target;
        return () -> unsubscribe(subscribed, entry);
    }

    /** Calls this node's own listeners of the channel, if it has any. */
    void deliverLocally(String channel, RoomEvent event) {
        Room local = rooms.get(channel);
        if (local != null) {
            local.deliver(event);
        }
    }

    LinkState state() {
        synchronized (lock) {
            return state;
        }
    }

    /**
     * Unsubscribes the current link, so that its connection goes back to the pool clean, and forgets every room.
     * Returns false if already closed.
     */
    boolean close() {
        synchronized (lock) {
            if (closed) {
                return false;
            }
            closed = true;
            state = LinkState.CLOSED;
            if (link != null) {
                try {
                    link.unsubscribe();
                } catch (JedisException e) {
                    LOG.debug("could not unsubscribe the room subscriber of node {}", nodeId, e);
                }
                link = null;
            }
            rooms.clear();
            lock.notifyAll();
        }
        return true;
    }

    boolean isOpen() {
        return !closed;
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("room broadcaster of node " + nodeId + " is closed");
        }
    }

    private void unsubscribe(Room room, Room.Entry entry) {
        if (!entry.closed.compareAndSet(false, true)) {
            return;
        }
        synchronized (lock) {
            room.listeners.remove(entry);
            if (room.listeners.isEmpty() && rooms.remove(room.channel, room) && link != null) {
                try {
                    link.unsubscribe(room.channel);
                } catch (JedisException e) {
                    LOG.debug("UNSUBSCRIBE {} failed; the subscriber reconnects without it", room.channel, e);
                }
            }
        }
    }

    /** Waits, holding {@link #lock}, until the room's channel is confirmed, Redis is known down, or time is up. */
    private void awaitConfirmation(Room room) {
        long deadline = System.nanoTime() + subscribeTimeout.toNanos();
        try {
            while (!room.confirmed && state != LinkState.DOWN && state != LinkState.CLOSED) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!room.confirmed) {
            room.gap = true;
            LOG.debug("{} registered on node {} without Redis confirmation; its listeners get onGap once subscribed",
                    room.channel, nodeId);
        }
    }

    private void sendSubscribe(SubscriberLink target, String... channels) {
        for (String channel : channels) {
            unconfirmed.merge(channel, 1, Integer::sum);
        }
        try {
            target.subscribe(channels);
        } catch (JedisException e) {
            LOG.debug("SUBSCRIBE failed on node {}; the subscriber reconnects", nodeId, e);
        }
    }

    /** The control channel is confirmed: the connection is up; subscribe every room with local listeners. */
    void linkUp(SubscriberLink up) {
        boolean reconnected;
        int resubscribed;
        synchronized (lock) {
            if (closed || up.generation != generation) {
                // Closed while connecting, or abandoned and now awake: leave, so that its connection is freed.
                try {
                    up.unsubscribe();
                } catch (JedisException e) {
                    LOG.debug("could not unsubscribe a stale room subscriber connection", e);
                }
                return;
            }
            up.confirmed = true;
            link = up;
            state = LinkState.UP;
            reconnected = everConnected;
            everConnected = true;
            unconfirmed.clear();
            resubscribed = rooms.size();
            if (!rooms.isEmpty()) {
                for (Room room : rooms.values()) {
                    room.confirmed = false;
                    room.gap |= reconnected;
                }
                sendSubscribe(up, rooms.keySet().toArray(String[]::new));
            }
            lock.notifyAll();
        }
        if (reconnected) {
            LOG.info("room subscriber of node {} reconnected to Redis; resubscribing {} rooms", nodeId, resubscribed);
        }
    }

    /** Redis confirmed a room channel; if the room missed events, its listeners repair before anything newer. */
    void roomConfirmed(SubscriberLink on, String channel) {
        List<Room.Entry> gapped = List.of();
        synchronized (lock) {
            if (on != link) {
                return;
            }
            if (unconfirmed.computeIfPresent(channel, (c, count) -> count == 1 ? null : count - 1) != null) {
                return;
            }
            Room room = rooms.get(channel);
            if (room == null || room.confirmed) {
                return;
            }
            room.confirmed = true;
            if (room.gap) {
                room.gap = false;
                gapped = List.copyOf(room.listeners);
            }
            lock.notifyAll();
        }
        for (Room.Entry entry : gapped) {
            if (entry.closed.get()) {
                continue;
            }
            try {
                entry.listener.onGap();
            } catch (RuntimeException e) {
                LOG.error("onGap of a listener of {} failed", channel, e);
            }
        }
    }

    /** A message on a room channel: another node's event, delivered to this node's listeners of the room. */
    void remoteMessage(SubscriberLink from, String channel, String message) {
        if (from.generation != generation) {
            return;
        }
        Room room = rooms.get(channel);
        if (room == null) {
            return;
        }
        Envelope envelope;
        try {
            envelope = Envelope.decode(message);
        } catch (IllegalArgumentException e) {
            badMessages.warn("ignoring a message on " + channel + " that is not a chatwire envelope", e);
            return;
        }
        if (!envelope.nodeId().equals(nodeId)) {
            room.deliver(envelope.event());
        }
    }

    /** The link's connection broke or was closed. */
    void linkEnded(SubscriberLink ended) {
        synchronized (lock) {
            if (ended.generation != generation) {
                return;
            }
            markDown();
        }
    }

    /** Whether links of this generation still matter: not closed, and not abandoned for a newer one. */
    boolean isCurrent(long linkGeneration) {
        return !closed && linkGeneration == generation;
    }

    /**
     * The link is given up as silent: from now on it and its callbacks are ignored. Returns the generation of the
     * link to open instead, or nothing if closed or already given up.
     */
    OptionalLong abandon(SubscriberLink silent) {
        synchronized (lock) {
            if (closed || silent.generation != generation) {
                return OptionalLong.empty();
            }
            long next = generation + 1;
            generation = next;
            markDown();
            return OptionalLong.of(next);
        }
    }

    /** PINGs the link's connection, if it is still the current link. */
    void ping(SubscriberLink checked) {
        synchronized (lock) {
            if (link == checked) {
                try {
                    checked.ping();
                } catch (JedisException e) {
                    LOG.debug("PING on the room subscriber of node {} failed", nodeId, e);
                }
            }
        }
    }

    /** Called holding {@link #lock}: no link; every room must be confirmed again. */
    private void markDown() {
        link = null;
        if (!closed) {
            state = LinkState.DOWN;
        }
        unconfirmed.clear();
        rooms.values().forEach(room -> room.confirmed = false);
        lock.notifyAll();
    }
}
