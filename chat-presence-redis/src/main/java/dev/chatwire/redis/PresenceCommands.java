package dev.chatwire.redis;

import dev.chatwire.core.spi.UnavailableException;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One presence node's calls to Redis: each of the {@link PresenceScripts} with the keys and arguments it takes, derived
 * from the key prefix and node id as the {@link RedisPresenceRegistry} Javadoc lays them out. Every call but
 * {@link #leave} turns a Jedis failure into an {@link UnavailableException} with the Jedis exception as its cause.
 * Thread-safe; each call blocks on one Redis round trip, or one per thousand users for {@link #online}.
 */
final class PresenceCommands {

    private static final int ONLINE_BATCH = 1000;
    private static final int NODES_REAPED_PER_RUN = 16;

    private final UnifiedJedis jedis;
    private final String prefix;
    private final String nodeId;
    private final Duration expiry;
    private final long deadlineOffsetMillis;
    private final String nodesKey;
    private final String departedKey;
    private final String ownConnectionsKey;

    PresenceCommands(UnifiedJedis jedis, String prefix, String nodeId, Duration expiry) {
        this.jedis = jedis;
        this.prefix = prefix;
        this.nodeId = nodeId;
        this.expiry = expiry;
        this.deadlineOffsetMillis = Math.max(1, expiry.toMillis() * 2 / 3);
        this.nodesKey = prefix + "nodes";
        this.departedKey = prefix + "departed";
        this.ownConnectionsKey = prefix + "node:" + nodeId + ":conns";
    }

    /** What a heartbeat found: whether Redis had lost this node, and how many connections it holds for the node. */
    record Beat(boolean wasMissing, long registered) {
    }

    /**
     * Registers the connection to this node; {@code mode} is {@code take} or {@code restore}, as
     * {@link PresenceScripts#CONNECT} says. Returns 1 if the user came online, 0 if not, -1 if a restore found the
     * connection taken over.
     */
    long connect(ConnectionKey key, String mode) {
        Object reply = call("connect", () -> PresenceScripts.CONNECT.run(jedis,
                List.of(userKey(key.userId()), ownConnectionsKey, nodesKey),
                List.of(prefix, nodeId, key.connectionId(), key.member(), Long.toString(deadlineOffsetMillis), mode)));
        return (Long) reply;
    }

    /** Removes the connection if this node owns it; returns whether the user went offline. */
    boolean disconnect(ConnectionKey key) {
        Object reply = call("disconnect", () -> PresenceScripts.DISCONNECT.run(jedis,
                List.of(userKey(key.userId()), ownConnectionsKey), List.of(nodeId, key.connectionId(), key.member())));
        return ((Long) reply) == 1L;
    }

    /** Whether each user has a connection on any node. */
    Map<String, Boolean> online(Collection<String> userIds) {
        List<String> users = List.copyOf(new LinkedHashSet<>(userIds));
        Map<String, Boolean> result = new HashMap<>();
        for (int from = 0; from < users.size(); from += ONLINE_BATCH) {
            List<String> batch = users.subList(from, Math.min(users.size(), from + ONLINE_BATCH));
            List<String> keys = batch.stream().map(this::userKey).toList();
            List<?> exists = (List<?>) call("online", () -> PresenceScripts.ONLINE.run(jedis, keys, List.of()));
            for (int i = 0; i < batch.size(); i++) {
                result.put(batch.get(i), ((Long) exists.get(i)) == 1L);
            }
        }
        return result;
    }

    /** Pushes this node's deadline forward. */
    Beat heartbeat() {
        List<?> reply = (List<?>) call("heartbeat", () -> PresenceScripts.HEARTBEAT.run(jedis,
                List.of(nodesKey, ownConnectionsKey), List.of(nodeId, Long.toString(deadlineOffsetMillis))));
        return new Beat(((Long) reply.get(0)) == 1L, (Long) reply.get(1));
    }

    /** Removes the connections of nodes past their deadline and drains the departed list; returns who went offline. */
    Set<String> reap() {
        List<?> offline = (List<?>) call("reap", () -> PresenceScripts.REAP.run(jedis,
                List.of(nodesKey, departedKey), List.of(prefix, nodeId, Integer.toString(NODES_REAPED_PER_RUN))));
        Set<String> users = new LinkedHashSet<>();
        offline.forEach(user -> users.add((String) user));
        return users;
    }

    /** The members of this node's connection set. */
    Set<String> ownMembers() {
        return call("reconcile", () -> jedis.smembers(ownConnectionsKey));
    }

    String ownConnectionsKey() {
        return ownConnectionsKey;
    }

    /**
     * Removes this node and its connections, queueing the users it left offline for a survivor to report; returns
     * how many. A Jedis failure propagates as it is: the caller only logs it.
     */
    Object leave() {
        return PresenceScripts.LEAVE.run(jedis, List.of(nodesKey, departedKey),
                List.of(prefix, nodeId, Long.toString(expiry.toMillis() * 3)));
    }

    private <T> T call(String operation, Supplier<T> redisCall) {
        try {
            return redisCall.get();
        } catch (JedisException e) {
            throw new UnavailableException("Redis presence " + operation + " failed: " + e.getMessage(), e);
        }
    }

    private String userKey(String userId) {
        return prefix + "user:" + userId;
    }
}
