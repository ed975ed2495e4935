package dev.chatwire.redis;

import dev.chatwire.core.spi.HealthCheck;
import dev.chatwire.core.spi.RoomBroadcaster;
import dev.chatwire.core.spi.RoomEvent;
import dev.chatwire.core.spi.RoomListener;
import dev.chatwire.core.spi.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link RoomBroadcaster} spanning every node that uses the same Redis and key prefix, over Redis pub/sub, in the
 * manner of Socket.IO's Redis adapter.
 *
 * <h2>Channels ({@code p} is the key prefix, {@code chatwire:} by default)</h2>
 * <pre>
 * p + "room:" + room      one per room; a node subscribes while the room has local listeners
 * p + "node:" + nodeId    this node's control channel, subscribed for the life of the subscriber connection
 * </pre>
 * Each message on a room channel is an envelope: a header line with the publishing node's id and the event's type,
 * chatId and seq, followed by the frame verbatim (see {@code Envelope}). No keys are stored and no scripts are run.
 *
 * <h2>Delivery</h2>
 * {@link #publish} first calls this node's own listeners of the room, on the calling thread, then PUBLISHes the
 * envelope; the subscriber skips envelopes from its own node, so each listener gets each event once. A failed PUBLISH
 * is logged (at most one warning per 30 s) and never thrown: the other nodes repair through {@code onGap}.
 *
 * <h2>The subscriber</h2>
 * One connection borrowed from the Jedis client for the life of this broadcaster (so a pool needs one connection more
 * than its other users), read by a thread of its own. {@link #subscribe} returns once Redis confirmed the room's
 * channel, or after the subscribe timeout (2 s by default), or at once while Redis is unreachable; in the last two cases
 * the listener is registered locally and gets {@link RoomListener#onGap()} once the channel is subscribed. When the
 * connection breaks, the subscriber reconnects with exponential backoff (100 ms doubling up to 5 s by default, with
 * jitter), subscribes every room that has local listeners, and, as each channel is confirmed, calls {@code onGap} on its
 * listeners before delivering anything newer, so that they repair from the store what they missed. A PING every 5 s
 * detects a connection that is silently dead: without an answer by the next PING, the subscriber gives up on that
 * connection and opens another.
 *
 * <p>The Jedis client must speak RESP2, as {@link RedisClients#pooled} clients do: Jedis 8 negotiates RESP3 unless told
 * otherwise, and under RESP3 its {@code JedisPubSub} fails on the answer to that PING.
 *
 * <p>Thread-safe. Listeners are called from the publishing thread (events of this node) or the subscriber thread
 * (events of other nodes, and {@code onGap}), never while holding a lock that {@link #publish} needs. Closing a
 * subscription never blocks on Redis for long. Does not close the Jedis client.
 */
public final class RedisRoomBroadcaster implements RoomBroadcaster, HealthCheck, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisRoomBroadcaster.class);
    private static final long FIRST_RECONNECT_DELAY_MILLIS = 100;

    private enum LinkState { CONNECTING, UP, DOWN, CLOSED }

    private final UnifiedJedis jedis;
    private final String nodeId;
    private final String prefix;
    private final String controlChannel;
    private final Duration subscribeTimeout;
    private final Duration maxReconnectDelay;
    private final Duration pingInterval;
    private final RateLimitedLog publishFailures;
    private final RateLimitedLog linkFailures;
    private final RateLimitedLog badMessages;
    /** Rooms with local listeners, by channel. Changed only while holding {@link #lock}. */
    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
    /** Guards the link state below and serializes every command written to the subscriber connection. */
    private final Object lock = new Object();
    private Link link;
    private LinkState state = LinkState.CONNECTING;
    private boolean everConnected;
    /** SUBSCRIBE commands sent on {@link #link} and not yet confirmed, by channel. */
    private final Map<String, Integer> unconfirmed = new HashMap<>();
    /** Incremented when a silent connection is abandoned; a link of an older generation is ignored. */
    private volatile long generation;
    private volatile Link current;
    private volatile Thread subscriberThread;
    private volatile boolean closed;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final ScheduledExecutorService watchdog;

    private RedisRoomBroadcaster(Builder builder) {
        this.jedis = builder.jedis;
        this.nodeId = builder.nodeId;
        this.prefix = builder.keyPrefix;
        this.controlChannel = prefix + "node:" + nodeId;
        this.subscribeTimeout = builder.subscribeTimeout;
        this.maxReconnectDelay = builder.maxReconnectDelay;
        this.pingInterval = builder.pingInterval;
        Duration quiet = Duration.ofSeconds(30);
        this.publishFailures = new RateLimitedLog(LOG, builder.clock, quiet);
        this.linkFailures = new RateLimitedLog(LOG, builder.clock, quiet);
        this.badMessages = new RateLimitedLog(LOG, builder.clock, quiet);
        this.watchdog = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "chatwire-rooms-watchdog-" + nodeId);
            thread.setDaemon(true);
            return thread;
        });
        long period = pingInterval.toMillis();
        watchdog.scheduleWithFixedDelay(this::checkLink, period, period, TimeUnit.MILLISECONDS);
        startSubscriber(0);
    }

    /**
     * A broadcaster with a random node id, the prefix {@code chatwire:} and the default timeouts; it starts connecting
     * its subscriber at once, without waiting.
     */
    public static RedisRoomBroadcaster create(UnifiedJedis jedis) {
        return builder(jedis).build();
    }

    /** A builder with the defaults of {@link #create}. */
    public static Builder builder(UnifiedJedis jedis) {
        return new Builder(Objects.requireNonNull(jedis, "jedis"), "node-" + UUID.randomUUID(), "chatwire:",
                Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5), Clock.systemUTC());
    }

    /** This node's id, carried by every envelope it publishes. */
    public String nodeId() {
        return nodeId;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Blocks until Redis confirmed the room's channel, at most the subscribe timeout; see the class description.
     */
    @Override
    public Subscription subscribe(String room, RoomListener listener) {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(listener, "listener");
        String channel = channel(room);
        Entry entry = new Entry(listener);
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

    @Override
    public void publish(String room, RoomEvent event) {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(event, "event");
        ensureOpen();
        String channel = channel(room);
        Room local = rooms.get(channel);
        if (local != null) {
            deliver(local, event);
        }
        try {
            jedis.publish(channel, new Envelope(nodeId, event).encode());
        } catch (JedisException e) {
            publishFailures.warn("Redis PUBLISH to " + channel + " failed; delivered on node " + nodeId
                    + " only, other nodes repair on reconnect", e);
        }
    }

    /**
     * PINGs Redis through the host's client and reads the room subscriber's link: up only when both are, since with
     * the link down this node neither hears other nodes' events nor knows what it missed until it reconnects.
     */
    @Override
    public Health checkHealth() {
        LinkState link;
        synchronized (lock) {
            link = state;
        }
        try {
            jedis.ping();
        } catch (JedisException e) {
            return Health.down("Redis PING failed: " + e.getMessage() + "; room subscriber " + describe(link));
        }
        return link == LinkState.UP ? Health.up("Redis PING answered; room subscriber " + describe(link))
                : Health.down("Redis PING answered; room subscriber " + describe(link));
    }

    private static String describe(LinkState link) {
        return switch (link) {
            case CONNECTING -> "connecting";
            case UP -> "subscribed";
            case DOWN -> "disconnected, reconnecting";
            case CLOSED -> "closed";
        };
    }

    /**
     * Stops the subscriber, unsubscribing its connection so that it goes back to the pool clean; listeners get
     * nothing more, and {@link #subscribe} and {@link #publish} throw {@link IllegalStateException} from now on. Does
     * not close the Jedis client. Closing twice is harmless.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
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
        closing.countDown();
        watchdog.shutdownNow();
        Thread subscriber = subscriberThread;
        if (subscriber != null) {
            try {
                subscriber.join(TimeUnit.SECONDS.toMillis(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void unsubscribe(Room room, Entry entry) {
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

    private void sendSubscribe(Link target, String... channels) {
        for (String channel : channels) {
            unconfirmed.merge(channel, 1, Integer::sum);
        }
        try {
            target.subscribe(channels);
        } catch (JedisException e) {
            LOG.debug("SUBSCRIBE failed on node {}; the subscriber reconnects", nodeId, e);
        }
    }

    private void deliver(Room room, RoomEvent event) {
        for (Entry entry : room.listeners) {
            if (entry.closed.get()) {
                continue;
            }
            try {
                entry.listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.error("a listener of {} failed", room.channel, e);
            }
        }
    }

    private void startSubscriber(long forGeneration) {
        Thread thread = new Thread(() -> runSubscriber(forGeneration),
                "chatwire-rooms-" + nodeId + "-" + forGeneration);
        thread.setDaemon(true);
        subscriberThread = thread;
        thread.start();
    }

    private void runSubscriber(long forGeneration) {
        long delayMillis = FIRST_RECONNECT_DELAY_MILLIS;
        while (!closed && forGeneration == generation) {
            Link attempt = new Link(forGeneration);
            current = attempt;
            try {
                jedis.subscribe(attempt, controlChannel);
            } catch (JedisException e) {
                if (!closed && forGeneration == generation) {
                    linkFailures.warn("room subscriber of node " + nodeId + " lost Redis; reconnecting", e);
                }
            } catch (RuntimeException e) {
                LOG.error("room subscriber of node {} failed unexpectedly; reconnecting", nodeId, e);
            }
            linkEnded(attempt);
            if (closed || forGeneration != generation) {
                return;
            }
            if (attempt.confirmed) {
                delayMillis = FIRST_RECONNECT_DELAY_MILLIS;
            }
            long jittered = delayMillis / 2 + ThreadLocalRandom.current().nextLong(delayMillis / 2 + 1);
            try {
                closing.await(jittered, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            delayMillis = Math.min(delayMillis * 2, maxReconnectDelay.toMillis());
        }
    }

    /** The control channel is confirmed: the connection is up; subscribe every room with local listeners. */
    private void linkUp(Link up) {
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
    private void roomConfirmed(Link on, String channel) {
        List<Entry> gapped = List.of();
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
        for (Entry entry : gapped) {
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

    private void linkEnded(Link ended) {
        ended.ended = true;
        synchronized (lock) {
            if (ended.generation != generation) {
                return;
            }
            markDown();
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

    private void remoteMessage(Link from, String channel, String message) {
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
            deliver(room, envelope.event());
        }
    }

    /** Runs every ping interval: PINGs the subscriber connection, and abandons it if the last PING went unanswered. */
    private void checkLink() {
        Link checked = current;
        if (checked == null || checked.ended || closed) {
            return;
        }
        long now = System.nanoTime();
        if (!checked.confirmed) {
            // Connecting is bounded by the client's own timeouts; only waiting for the confirmation is not.
            if (now - checked.startedNanos > 3 * pingInterval.toNanos()) {
                abandon(checked, "no subscription confirmation within " + pingInterval.multipliedBy(3));
            }
            return;
        }
        if (checked.pingSentNanos != 0) {
            abandon(checked, "no answer to PING within " + pingInterval);
            return;
        }
        checked.pingSentNanos = now;
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

    private void abandon(Link silent, String reason) {
        long next;
        synchronized (lock) {
            if (closed || silent.generation != generation) {
                return;
            }
            next = generation + 1;
            generation = next;
            markDown();
        }
        silent.ended = true;
        LOG.warn("room subscriber of node {}: {}; opening a new connection", nodeId, reason);
        try {
            silent.unsubscribe();
        } catch (RuntimeException e) {
            LOG.debug("could not unsubscribe the abandoned connection", e);
        }
        startSubscriber(next);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("room broadcaster of node " + nodeId + " is closed");
        }
    }

    private String channel(String room) {
        return prefix + "room:" + room;
    }

    /** A room with local listeners. */
    private static final class Room {
        final String channel;
        final CopyOnWriteArrayList<Entry> listeners = new CopyOnWriteArrayList<>();
        /** Redis confirmed the channel on the current link. Guarded by {@link #lock}. */
        boolean confirmed;
        /** Listeners may have missed events; they get onGap when the channel is confirmed. Guarded by the lock. */
        boolean gap;

        Room(String channel) {
            this.channel = channel;
        }
    }

    /** One subscription; the same listener subscribed twice is two entries. */
    private static final class Entry {
        final RoomListener listener;
        final AtomicBoolean closed = new AtomicBoolean();

        Entry(RoomListener listener) {
            this.listener = listener;
        }
    }

    /** One subscriber connection's session, from connecting to breaking. */
    private final class Link extends JedisPubSub {
        final long generation;
        final long startedNanos = System.nanoTime();
        volatile boolean confirmed;
        volatile boolean ended;
        volatile long pingSentNanos;

        Link(long generation) {
            this.generation = generation;
        }

        @Override
        public void onSubscribe(String channel, int subscribedChannels) {
            if (controlChannel.equals(channel)) {
                linkUp(this);
            } else {
                roomConfirmed(this, channel);
            }
        }

        @Override
        public void onMessage(String channel, String message) {
            remoteMessage(this, channel, message);
        }

        @Override
        public void onPong(String pattern) {
            pingSentNanos = 0;
        }
    }

    /**
     * Settings for a {@link RedisRoomBroadcaster}; immutable, each setter returns a new builder.
     */
    public static final class Builder {
        private final UnifiedJedis jedis;
        private final String nodeId;
        private final String keyPrefix;
        private final Duration subscribeTimeout;
        private final Duration maxReconnectDelay;
        private final Duration pingInterval;
        private final Clock clock;

        private Builder(UnifiedJedis jedis, String nodeId, String keyPrefix, Duration subscribeTimeout,
                        Duration maxReconnectDelay, Duration pingInterval, Clock clock) {
            this.jedis = jedis;
            this.nodeId = nodeId;
            this.keyPrefix = keyPrefix;
            this.subscribeTimeout = subscribeTimeout;
            this.maxReconnectDelay = maxReconnectDelay;
            this.pingInterval = pingInterval;
            this.clock = clock;
        }

        /** This node's id, unique among the nodes sharing the prefix; random by default. */
        public Builder nodeId(String nodeId) {
            Objects.requireNonNull(nodeId, "nodeId");
            if (nodeId.isEmpty()) {
                throw new IllegalArgumentException("nodeId must not be empty");
            }
            return new Builder(jedis, nodeId, keyPrefix, subscribeTimeout, maxReconnectDelay, pingInterval, clock);
        }

        /** The prefix of every channel; {@code chatwire:} by default. */
        public Builder keyPrefix(String keyPrefix) {
            Objects.requireNonNull(keyPrefix, "keyPrefix");
            return new Builder(jedis, nodeId, keyPrefix, subscribeTimeout, maxReconnectDelay, pingInterval, clock);
        }

        /** How long {@link #subscribe} waits for Redis to confirm a channel; 2 s by default. */
        public Builder subscribeTimeout(Duration timeout) {
            requirePositive(timeout, "subscribeTimeout");
            return new Builder(jedis, nodeId, keyPrefix, timeout, maxReconnectDelay, pingInterval, clock);
        }

        /** The longest pause between the subscriber's reconnection attempts; 5 s by default. */
        public Builder maxReconnectDelay(Duration delay) {
            requirePositive(delay, "maxReconnectDelay");
            return new Builder(jedis, nodeId, keyPrefix, subscribeTimeout, delay, pingInterval, clock);
        }

        /** How often the subscriber connection is PINGed, and how long an answer may take; 5 s by default. */
        public Builder pingInterval(Duration interval) {
            requirePositive(interval, "pingInterval");
            return new Builder(jedis, nodeId, keyPrefix, subscribeTimeout, maxReconnectDelay, interval, clock);
        }

        /** The clock for log rate limits; the system clock by default. */
        public Builder clock(Clock clock) {
            Objects.requireNonNull(clock, "clock");
            return new Builder(jedis, nodeId, keyPrefix, subscribeTimeout, maxReconnectDelay, pingInterval, clock);
        }

        /** Creates the broadcaster and starts connecting its subscriber. */
        public RedisRoomBroadcaster build() {
            return new RedisRoomBroadcaster(this);
        }

        private static void requirePositive(Duration duration, String name) {
            Objects.requireNonNull(duration, name);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
        }
    }
}
