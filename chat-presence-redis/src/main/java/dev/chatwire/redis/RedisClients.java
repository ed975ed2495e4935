package dev.chatwire.redis;

import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.JedisPooled;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Builds Jedis clients with the settings the Redis adapters need to fail fast: connection and socket timeouts and a
 * pool wait of about 2 s, so that an unreachable Redis turns into an exception instead of a hung caller.
 */
public final class RedisClients {

    /** The connection timeout, socket timeout and pool {@code maxWait} of {@link #pooled(URI)}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    private RedisClients() {
    }

    /**
     * A pooled client for a {@code redis://} or {@code rediss://} URI (with optional user, password and database),
     * with {@link #DEFAULT_TIMEOUT} and up to 32 connections. The caller owns it and closes it.
     */
    public static JedisPooled pooled(URI uri) {
        return pooled(uri, DEFAULT_TIMEOUT, 32);
    }

    /**
     * A pooled client for a URI, with the given connection timeout, socket timeout and pool {@code maxWait}, and at most
     * {@code maxConnections} connections (one of which a {@link RedisRoomBroadcaster} holds for its subscriber).
     */
    public static JedisPooled pooled(URI uri, Duration timeout, int maxConnections) {
        Objects.requireNonNull(uri, "uri");
        if (maxConnections < 2) {
            throw new IllegalArgumentException("maxConnections must be at least 2");
        }
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(maxConnections);
        pool.setMaxIdle(maxConnections);
        pool.setMaxWait(timeout);
        pool.setBlockWhenExhausted(true);
        int millis = Math.toIntExact(timeout.toMillis());
        return new JedisPooled(pool, uri, millis, millis);
    }
}
