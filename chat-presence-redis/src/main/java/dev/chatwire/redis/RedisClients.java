package dev.chatwire.redis;

import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.util.JedisURIHelper;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Builds Jedis clients with the settings the Redis adapters need: connection and socket timeouts and a pool wait of
 * about 2 s, so that an unreachable Redis turns into an exception instead of a hung caller, and the RESP2 protocol.
 *
 * <p>Jedis 8 negotiates RESP3 by default. {@link RedisRoomBroadcaster}'s subscriber needs RESP2: under RESP3 Jedis
 * 8.0's {@code JedisPubSub} fails on the reply to the PING that detects a dead subscriber connection. A client of your
 * own for the broadcaster needs {@code DefaultJedisClientConfig.builder().protocol(RedisProtocol.RESP2)}.
 */
public final class RedisClients {

    /** The connection timeout, socket timeout and pool {@code maxWait} of {@link #pooled(URI)}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    private RedisClients() {
    }

    /**
     * A pooled client for a {@code redis://} or {@code rediss://} URI (with optional user, password and database),
     * with {@link #DEFAULT_TIMEOUT}, up to 32 connections and RESP2. The caller owns it and closes it.
     */
    public static RedisClient pooled(URI uri) {
        return pooled(uri, DEFAULT_TIMEOUT, 32);
    }

    /**
     * A pooled client for a URI, with the given connection timeout, socket timeout and pool {@code maxWait}, and at
     * most {@code maxConnections} connections (one of which a {@link RedisRoomBroadcaster} holds for its subscriber).
     * It speaks RESP2 whatever the URI's {@code protocol} parameter says.
     */
    public static RedisClient pooled(URI uri, Duration timeout, int maxConnections) {
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
        DefaultJedisClientConfig config = DefaultJedisClientConfig.builder(uri)   // user, password, database, TLS
                .connectionTimeoutMillis(millis)
                .socketTimeoutMillis(millis)
                .protocol(RedisProtocol.RESP2)
                .build();
        return RedisClient.builder()
                .hostAndPort(JedisURIHelper.getHostAndPort(uri))
                .clientConfig(config)
                .poolConfig(pool)
                .build();
    }
}
