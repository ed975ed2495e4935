package dev.chatwire.spring;

import dev.chatwire.core.ChatEngine;
import dev.chatwire.core.ChatLimits;
import dev.chatwire.core.memory.InMemoryMessageStore;
import dev.chatwire.core.spi.MessageStore;
import dev.chatwire.core.spi.TokenVerifier;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** Which beans the auto-configuration makes, and which of the application's it takes instead, without a server. */
class ChatwireAutoConfigurationTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ChatwireAutoConfiguration.class));

    @Test
    void theApplicationsOwnSpiBeansWinAndTheRestComeFromMemory() {
        MessageStore own = new InMemoryMessageStore();
        runner.withPropertyValues(StarterSuite.PROPERTIES_SECRET)
                .withBean(MessageStore.class, () -> own)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).getBean(MessageStore.class).isSameAs(own);
                    assertThat(context).hasSingleBean(ChatEngine.class);
                    assertThat(context).hasSingleBean(TokenVerifier.class);
                });
    }

    @Test
    void theHardeningLimitsComeFromTheirPropertiesAndKeepTheirDefaultsWhenUnset() {
        runner.withPropertyValues(StarterSuite.PROPERTIES_SECRET)
                .run(context -> {
                    ChatLimits limits = context.getBean(ChatEngine.class).limits();
                    assertThat(limits.maxUnauthenticatedPerAddress()).isEqualTo(64);
                    assertThat(limits.maxUnauthenticated()).isEqualTo(10_000);
                    assertThat(limits.maxStoredBytesPerUser()).isEqualTo(Long.MAX_VALUE);
                });
        runner.withPropertyValues(StarterSuite.PROPERTIES_SECRET, "chatwire.limits.max-unauthenticated-per-address=8",
                        "chatwire.limits.max-unauthenticated=500", "chatwire.limits.max-stored-bytes-per-user=1000000")
                .run(context -> {
                    ChatLimits limits = context.getBean(ChatEngine.class).limits();
                    assertThat(limits.maxUnauthenticatedPerAddress()).isEqualTo(8);
                    assertThat(limits.maxUnauthenticated()).isEqualTo(500);
                    assertThat(limits.maxStoredBytesPerUser()).isEqualTo(1_000_000);
                });
    }

    @Test
    void withoutASecretOrATokenVerifierTheStartFailsSayingWhichPropertyToSet() {
        runner.run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("chatwire.jwt.secret"));
    }

    @Test
    void anApplicationTokenVerifierTakesThePlaceOfTheSecret() {
        runner.withBean(TokenVerifier.class, () -> token -> {
                    throw new UnsupportedOperationException("not called here");
                })
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(ChatEngine.class));
    }
}
