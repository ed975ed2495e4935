package dev.chatwire.redis;

import dev.chatwire.redis.testing.RedisTestServer;
import dev.chatwire.core.contract.PresenceRegistryContract;
import dev.chatwire.core.spi.PresenceRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterAll;
import redis.clients.jedis.RedisClient;

import java.util.ArrayList;
import java.util.List;

/** {@link RedisPresenceRegistry} passes the presence contract. */
class RedisPresenceRegistryTest extends PresenceRegistryContract {

    private static RedisClient jedis;
    private final List<RedisPresenceRegistry> registries = new ArrayList<>();

    @BeforeAll
    static void connect() {
        jedis = RedisTestServer.shared().newClient();
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
