package dev.chatwire.spring;

import dev.chatwire.core.ChatEngine;
import dev.chatwire.core.ChatMetrics;
import dev.chatwire.core.micrometer.MicrometerChatMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The engine's {@code chatwire.*} meters in the application's {@link MeterRegistry}, when it has Micrometer and a
 * registry (Spring Boot's Actuator makes one). The {@link ChatMetrics} bean is what {@link ChatwireAutoConfiguration}
 * gives the engine; an application's own {@link ChatMetrics} bean wins.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass({ChatEngine.class, MeterRegistry.class})
@ConditionalOnBean(MeterRegistry.class)
public class ChatwireMetricsAutoConfiguration {

    /** Creates the auto-configuration; Spring Boot does. */
    public ChatwireMetricsAutoConfiguration() {
    }

    /**
     * Micrometer meters for the engine.
     *
     * @param registry the application's registry
     * @return the metrics the engine reports to
     */
    @Bean
    @ConditionalOnMissingBean
    public ChatMetrics chatwireMetrics(MeterRegistry registry) {
        return new MicrometerChatMetrics(registry);
    }
}
