package dev.chatwire.redis;

import dev.chatwire.testing.RedisTestServer;
import redis.clients.jedis.RedisClient;

import java.time.Duration;

/** Clients for the tests' Redis, with the adapters' recommended fail-fast settings. */
final class TestRedisClients {

    private TestRedisClients() {
    }

    /** A new client of {@code server}; the caller closes it. */
    static RedisClient newClient(RedisTestServer server) {
        return RedisClients.pooled(server.uri(), Duration.ofSeconds(2), 8);
    }
}
