package dev.chatwire.redis;

import dev.chatwire.core.spi.HealthCheck;
import dev.chatwire.core.spi.RoomBroadcaster;
import dev.chatwire.core.spi.RoomEvent;
import dev.chatwire.core.spi.RoomListener;
import dev.chatwire.core.spi.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

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
 * {@link #publish} first calls this node's own listeners of the room, on the calling thread, then queues the envelope
 * for a thread of this broadcaster's that PUBLISHes it, pipelining whatever queued meanwhile into one round trip: no
 * publishing thread waits for Redis, and a node's events reach Redis in the order they were published. The
 * subscriber skips envelopes from its own node, so each listener gets each event once. A failed PUBLISH, or one
 * dropped because 10,000 events already wait for Redis, is logged (at most one warning per 30 s) and never thrown:
 * the other nodes repair from the store when they next hear of the room, or through {@code onGap} on reconnection.
 *
 * <h2>The subscriber</h2>
 * One connection borrowed from the Jedis client for the life of this broadcaster (so a pool needs one connection more
 * than its other users), read by a thread of its own. {@link #subscribe} returns once Redis confirmed the room's
 * channel, or after the subscribe timeout (2 s by default), or at once while Redis is unreachable; in the last two
 * cases the listener is registered locally and gets {@link RoomListener#onGap()} once the channel is subscribed. When
 * the connection breaks, the subscriber reconnects with exponential backoff (100 ms doubling up to 5 s by default, with
 * jitter), subscribes every room that has local listeners, and, as each channel is confirmed, calls {@code onGap} on
 * its listeners before delivering anything newer, so that they repair from the store what they missed. A PING every 5 s
 * detects a connection that is silently dead: without an answer by the next PING, the subscriber gives up on that
 * connection and opens another. ({@code LinkSupervisor} keeps the connection; {@code RoomChannels} tracks the rooms and
 * their confirmations.)
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

    private final UnifiedJedis jedis;
    private final String nodeId;
    private final String prefix;
    private final PublishQueue publishes;
    private final RoomChannels channels;
    private final LinkSupervisor subscriber;

    private RedisRoomBroadcaster(Builder builder) {
        this.jedis = builder.jedis;
        this.nodeId = builder.nodeId;
        this.prefix = builder.keyPrefix;
        Duration quiet = Duration.ofSeconds(30);
        this.publishes = new PublishQueue(jedis, nodeId, new RateLimitedLog(LOG, builder.clock, quiet));
        this.channels = new RoomChannels(nodeId, builder.subscribeTimeout,
                new RateLimitedLog(LOG, builder.clock, quiet));
        this.subscriber = new LinkSupervisor(jedis, channels, nodeId, prefix + "node:" + nodeId,
                builder.maxReconnectDelay, builder.pingInterval, new RateLimitedLog(LOG, builder.clock, quiet));
        subscriber.start();
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
        return channels.subscribe(channel(room), listener);
    }

    @Override
    public void publish(String room, RoomEvent event) {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(event, "event");
        channels.ensureOpen();
        String channel = channel(room);
        channels.deliverLocally(channel, event);
        publishes.offer(channel, new Envelope(nodeId, event).encode());
    }

    /**
     * PINGs Redis through the host's client and reads the room subscriber's link: up only when both are, since with
     * the link down this node neither hears other nodes' events nor knows what it missed until it reconnects.
     */
    @Override
    public Health checkHealth() {
        LinkState link = channels.state();
        try {
            jedis.ping();
        } catch (JedisException e) {
            return Health.down("Redis PING failed: " + e.getMessage() + "; room subscriber " + link.description());
        }
        return link == LinkState.UP ? Health.up("Redis PING answered; room subscriber " + link.description())
                : Health.down("Redis PING answered; room subscriber " + link.description());
    }

    /**
     * Lets the events already published go out to Redis (for up to two seconds), then stops the subscriber,
     * unsubscribing its connection so that it goes back to the pool clean; listeners get nothing more, and
     * {@link #subscribe} and {@link #publish} throw {@link IllegalStateException} from now on. Does not close the
     * Jedis client. Closing twice is harmless.
     */
    @Override
    public void close() {
        if (channels.close()) {
            publishes.close();
            subscriber.stop();
        }
    }

    private String channel(String room) {
        return prefix + "room:" + room;
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
