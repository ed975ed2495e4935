package dev.chatwire.redis;

import dev.chatwire.testing.RedisTestServer;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The heartbeat reconciles this node's connections with Redis while connects and disconnects run: it must never take
 * a disconnect's "went offline" from it, nor bring back a connection being disconnected.
 */
class RedisPresenceRegistryReconcileTest {

    @Test
    void disconnectsRacingTheHeartbeatsReconcileEachReportTheirUserOffline() {
        try (RedisClient jedis = TestRedisClients.newClient(RedisTestServer.shared());
             RedisPresenceRegistry registry = RedisPresenceRegistry.builder(jedis)
                     .keyPrefix(RedisTestServer.randomPrefix())
                     // A heartbeat every 20 ms, each reconciling whenever a connection is half-way in or out.
                     .expiry(Duration.ofMillis(60))
                     .build()) {
            for (int i = 0; i < 3000; i++) {
                String user = "user-" + i;
                assertThat(registry.connect(user, "c")).as("connect %d", i).isTrue();
                assertThat(registry.disconnect(user, "c")).as("disconnect %d", i).isTrue();
            }
        }
    }
}
