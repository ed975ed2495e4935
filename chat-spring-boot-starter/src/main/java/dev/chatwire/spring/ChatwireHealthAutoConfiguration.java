package dev.chatwire.spring;

import dev.chatwire.core.ChatEngine;
import dev.chatwire.core.spi.HealthCheck;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * A {@code chatwire} health component with one entry per adapter that can be checked (the MongoDB stores ping, the
 * Redis adapters PING and the broadcaster reports its subscriber link), when the application has Spring Boot's health
 * support (Actuator). Turned off with {@code management.health.chatwire.enabled=false}.
 */
@AutoConfiguration(after = ChatwireAutoConfiguration.class)
@ConditionalOnClass({ChatEngine.class, HealthIndicator.class})
@ConditionalOnBean(ChatEngine.class)
@ConditionalOnEnabledHealthIndicator("chatwire")
public class ChatwireHealthAutoConfiguration {

    /** Creates the auto-configuration; Spring Boot does. */
    public ChatwireHealthAutoConfiguration() {
    }

    /**
     * The adapters' health, as {@code chatwire.<role>} components ({@code messageStore}, {@code roomBroadcaster},
     * ...), each checked when the health endpoint is read.
     *
     * @param engine the engine whose adapters are checked
     * @return the contributor
     */
    @Bean
    @ConditionalOnMissingBean(name = "chatwireHealthContributor")
    public HealthContributor chatwireHealthContributor(ChatEngine engine) {
        return CompositeHealthContributor.fromMap(engine.healthChecks(),
                ChatwireHealthAutoConfiguration::indicator);
    }

    private static HealthIndicator indicator(HealthCheck check) {
        return () -> {
            HealthCheck.Health health = check.checkHealth();
            return (health.up() ? Health.up() : Health.down()).withDetail("detail", health.detail()).build();
        };
    }
}
