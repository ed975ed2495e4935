package dev.chatwire.redis;

import dev.chatwire.core.contract.PresenceRegistryContract;
import dev.chatwire.core.spi.PresenceRegistry;
import dev.chatwire.testing.RedisTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import redis.clients.jedis.RedisClient;

import java.util.ArrayList;
import java.util.List;

/** {@link RedisPresenceRegistry} passes the presence contract. */
class RedisPresenceRegistryTest extends PresenceRegistryContract {

    private static RedisClient jedis;
    private final List<RedisPresenceRegistry> registries = new ArrayList<>();

    @BeforeAll
    static void connect() {
        jedis = TestRedisClients.newClient(RedisTestServer.shared());
    }

    @AfterAll
    static void disconnect() {
        jedis.close();
    }

    @Override
    protected PresenceRegistry newRegistry() {
        RedisPresenceRegistry registry = RedisPresenceRegistry.builder(jedis)
                .keyPrefix(RedisTestServer.randomPrefix())
                .build();
        registries.add(registry);
        return registry;
    }

    @AfterEach
    void closeRegistries() {
        registries.forEach(RedisPresenceRegistry::close);
    }
}
