package dev.chatwire.redis;

import dev.chatwire.core.spi.HealthCheck;
import dev.chatwire.core.spi.PresenceRegistry;
import dev.chatwire.core.spi.Subscription;
import dev.chatwire.core.spi.UnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A {@link PresenceRegistry} shared by every node that uses the same Redis and key prefix, tracking each connection
 * of each user on each node, and healing when a node dies without disconnecting its users.
 *
 * <h2>Keys ({@code p} is the key prefix, {@code chatwire:} by default)</h2>
 * <pre>
 * p + "user:" + userId              hash   connectionId -&gt; nodeId that owns it; absent when the user is offline
 * p + "node:" + nodeId + ":conns"   set    the node's connections, each
 *                                          "&lt;byte length of userId&gt;:&lt;userId&gt;&lt;connectionId&gt;"
 * p + "nodes"                       zset   nodeId -&gt; heartbeat deadline, epoch ms by the Redis server's clock
 * p + "departed"                    list   users left offline by nodes that closed cleanly, until a survivor
 *                                          reports them
 * </pre>
 *
 * <h2>Scripts (EVALSHA, falling back to EVAL)</h2>
 * Their source is in {@code PresenceScripts} and their calls in {@code PresenceCommands}; the heartbeat that runs
 * them and reaps is {@code PresenceHeartbeat}.
 * <ul>
 * <li><b>connect</b>: HSET the connection to this node (taking it over if another node had registered the same
 * connection id), SADD it to the node's set; returns whether the user's hash was empty before, so exactly one of any
 * number of concurrent connects reports "came online".</li>
 * <li><b>disconnect</b>: HDEL the connection if this node owns it; returns whether that emptied the hash, so exactly
 * one disconnect reports "went offline".</li>
 * <li><b>heartbeat</b>: every {@code expiry / 3}, sets this node's deadline to the server's {@code TIME} plus
 * {@code 2 * expiry / 3}.</li>
 * <li><b>reap</b>: right after each heartbeat, removes the connections of every other node whose deadline has passed,
 * drains {@code departed}, and returns the users now offline. The script is atomic, so each such user is returned to
 * exactly one surviving node, which calls its {@link #onExpired} listeners.</li>
 * <li><b>leave</b>: on {@link #close()}, removes this node and its connections and queues the users it left offline in
 * {@code departed}, so that a surviving node reports them too.</li>
 * <li><b>online</b>: EXISTS on each user's hash.</li>
 * </ul>
 *
 * <p>A node that misses heartbeats for {@code 2 * expiry / 3} is presumed dead; a survivor reaps it within a further
 * {@code expiry / 3}, so a crashed node's users are reported offline within about {@code expiry} of its last
 * heartbeat. A node that was reaped while alive (a long pause, a network partition) or whose data Redis lost (a restart
 * without persistence) notices on its next heartbeat and registers its own live connections again (unless another node
 * took them over meanwhile); connections whose
 * disconnect failed during an outage are removed then too, and their users, if now offline, reported to this node's
 * {@link #onExpired} listeners. After its own heartbeat failed, a node waits one {@code expiry} before reaping others,
 * so that a Redis outage does not make every node reap every other.
 *
 * <h2>Redis and client settings</h2>
 * Needs Redis 5 or later (scripts that call {@code TIME} before writing). Scripts touch keys they derive from the
 * prefix, so on Redis Cluster use a prefix with a hash tag, such as {@code {chatwire}:}, to keep every key in one slot.
 * Calls fail as fast as the client lets them: configure the {@code RedisClient} with connection and socket timeouts of
 * about 2 s and a pool {@code maxWait} of about 2 s (see {@link RedisClients#pooled}); otherwise an unreachable Redis
 * can hold a caller for the client's default timeouts, or forever on an exhausted pool.
 *
 * <p>Thread-safe. {@link #connect}, {@link #disconnect} and {@link #online} block on one Redis round trip and throw
 * {@link UnavailableException}, with the Jedis exception as its cause, when Redis fails. {@link #onExpired} listeners
 * are called from this registry's heartbeat thread.
 */
public final class RedisPresenceRegistry implements PresenceRegistry, HealthCheck, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisPresenceRegistry.class);

    private final UnifiedJedis jedis;
    private final String nodeId;
    private final Duration expiry;
    private final PresenceCommands redis;
    /** This node's connections; {@code true} once Redis confirmed the registration. */
    private final ConcurrentHashMap<ConnectionKey, Boolean> ownConnections = new ConcurrentHashMap<>();
    /** Disconnects that threw: Redis may or may not have run them, so nobody may have reported the user offline. */
    private final Set<ConnectionKey> failedDisconnects = ConcurrentHashMap.newKeySet();
    private final PresenceHeartbeat heartbeat;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RedisPresenceRegistry(Builder builder) {
        this.jedis = builder.jedis;
        this.nodeId = builder.nodeId;
        this.expiry = builder.expiry;
        this.redis = new PresenceCommands(jedis, builder.keyPrefix, nodeId, expiry);
        this.heartbeat = new PresenceHeartbeat(redis, ownConnections, failedDisconnects, nodeId, expiry, builder.clock);
        heartbeat.start();
    }

    /** A registry with a random node id, the prefix {@code chatwire:} and an expiry of 30 s, heartbeating at once. */
    public static RedisPresenceRegistry create(UnifiedJedis jedis) {
        return builder(jedis).build();
    }

    /** A builder with the defaults of {@link #create}. */
    public static Builder builder(UnifiedJedis jedis) {
        return new Builder(Objects.requireNonNull(jedis, "jedis"), "node-" + UUID.randomUUID(), "chatwire:",
                Duration.ofSeconds(30), Clock.systemUTC());
    }

    /** This node's id, as stored in Redis. */
    public String nodeId() {
        return nodeId;
    }

    @Override
    public boolean connect(String userId, String connectionId) {
        ConnectionKey key = new ConnectionKey(userId, connectionId);
        ensureOpen();
        ownConnections.put(key, Boolean.FALSE);
        try {
            boolean cameOnline = redis.connect(key, "take") == 1L;
            ownConnections.computeIfPresent(key, (k, registered) -> Boolean.TRUE);
            if (!failedDisconnects.isEmpty()) {
                failedDisconnects.removeIf(failed -> failed.userId().equals(userId));
            }
            return cameOnline;
        } catch (UnavailableException e) {
            ownConnections.remove(key, Boolean.FALSE);
            heartbeat.markDirty();
            throw e;
        }
    }

    @Override
    public boolean disconnect(String userId, String connectionId) {
        ConnectionKey key = new ConnectionKey(userId, connectionId);
        ensureOpen();
        // Kept, unconfirmed, until Redis has dropped it: a reconcile running meanwhile neither restores it nor
        // disconnects it itself, which would take this call's "went offline" away from it.
        ownConnections.replace(key, Boolean.FALSE);
        try {
            return redis.disconnect(key);
        } catch (UnavailableException e) {
            failedDisconnects.add(key);
            heartbeat.markDirty();
            throw e;
        } finally {
            ownConnections.remove(key);
        }
    }

    @Override
    public Map<String, Boolean> online(Collection<String> userIds) {
        ensureOpen();
        return redis.online(userIds);
    }

    @Override
    public Subscription onExpired(Consumer<Set<String>> usersWentOffline) {
        return heartbeat.onExpired(usersWentOffline);
    }

    /** PINGs Redis through the host's client: up when it answers, down with the driver's message when it does not. */
    @Override
    public Health checkHealth() {
        try {
            jedis.ping();
            return Health.up("Redis PING answered");
        } catch (JedisException e) {
            return Health.down("Redis PING failed: " + e.getMessage());
        }
    }

    /**
     * Stops heartbeating and removes this node's connections from Redis; the users that leaves offline are reported
     * by a surviving node's {@link #onExpired} listeners. If Redis cannot be reached, the survivors reap this node
     * within the expiry instead. Later calls throw {@link IllegalStateException}. Does not close the Jedis client.
     * Closing twice is harmless.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        heartbeat.stop();
        try {
            Object left = redis.leave();
            LOG.debug("presence node {} left; {} users went offline", nodeId, left);
        } catch (JedisException e) {
            LOG.warn("presence node {} could not remove its connections; surviving nodes reap them within {}: {}",
                    nodeId, expiry, e.toString());
        }
        ownConnections.clear();
    }

    /** Stops heartbeating without removing anything, as if this node's process had died; for tests. */
    void simulateCrash() {
        closed.set(true);
        heartbeat.stop();
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("presence registry of node " + nodeId + " is closed");
        }
    }

    /**
     * Settings for a {@link RedisPresenceRegistry}; immutable, each setter returns a new builder.
     */
    public static final class Builder {
        private final UnifiedJedis jedis;
        private final String nodeId;
        private final String keyPrefix;
        private final Duration expiry;
        private final Clock clock;

        private Builder(UnifiedJedis jedis, String nodeId, String keyPrefix, Duration expiry, Clock clock) {
            this.jedis = jedis;
            this.nodeId = nodeId;
            this.keyPrefix = keyPrefix;
            this.expiry = expiry;
            this.clock = clock;
        }

        /** This node's id, unique among the nodes sharing the prefix; random by default. */
        public Builder nodeId(String nodeId) {
            Objects.requireNonNull(nodeId, "nodeId");
            if (nodeId.isEmpty()) {
                throw new IllegalArgumentException("nodeId must not be empty");
            }
            return new Builder(jedis, nodeId, keyPrefix, expiry, clock);
        }

        /** The prefix of every key; {@code chatwire:} by default. */
        public Builder keyPrefix(String keyPrefix) {
            return new Builder(jedis, nodeId, Objects.requireNonNull(keyPrefix, "keyPrefix"), expiry, clock);
        }

        /**
         * About how long after a node's last heartbeat its users are reported offline; 30 s by default. The node
         * heartbeats every third of it.
         */
        public Builder expiry(Duration expiry) {
            Objects.requireNonNull(expiry, "expiry");
            if (expiry.toMillis() < 30) {
                throw new IllegalArgumentException("expiry must be at least 30 ms");
            }
            return new Builder(jedis, nodeId, keyPrefix, expiry, clock);
        }

        /**
         * The clock for the pause before reaping after an outage and for log rate limits; the system clock by default.
         */
        public Builder clock(Clock clock) {
            return new Builder(jedis, nodeId, keyPrefix, expiry, Objects.requireNonNull(clock, "clock"));
        }

        /** Creates the registry and starts its heartbeat. */
        public RedisPresenceRegistry build() {
            return new RedisPresenceRegistry(this);
        }
    }
}
