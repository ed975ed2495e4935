package dev.chatwire.spring;

import dev.chatwire.core.spi.PresenceRegistry;
import dev.chatwire.core.spi.RoomBroadcaster;
import dev.chatwire.redis.RedisPresenceRegistry;
import dev.chatwire.redis.RedisRoomBroadcaster;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import redis.clients.jedis.UnifiedJedis;

/**
 * The Redis presence registry and room broadcaster, when {@code chat-presence-redis} is on the class path and the
 * application has a {@link UnifiedJedis} bean (speaking RESP2: see {@code RedisClients}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({RedisPresenceRegistry.class, UnifiedJedis.class})
@ConditionalOnBean(UnifiedJedis.class)
class RedisAdaptersConfiguration {

    @Bean
    @ConditionalOnMissingBean
    PresenceRegistry chatwirePresenceRegistry(UnifiedJedis jedis) {
        return RedisPresenceRegistry.create(jedis);
    }

    @Bean
    @ConditionalOnMissingBean
    RoomBroadcaster chatwireRoomBroadcaster(UnifiedJedis jedis) {
        return RedisRoomBroadcaster.create(jedis);
    }
}
