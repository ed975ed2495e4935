package dev.chatwire.core;

import org.junit.jupiter.api.Test;

import static dev.chatwire.core.EngineFixture.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A host without Micrometer: this test runs in its own surefire execution with micrometer-core taken off the class
 * path (chat-core's pom; the default execution leaves it out), and the engine must serve sockets as usual.
 */
class WithoutMicrometerTest {

    @Test
    void theEngineRunsWithoutMicrometerOnTheClassPath() {
        assertThatThrownBy(() -> Class.forName("io.micrometer.core.instrument.MeterRegistry"))
                .isInstanceOf(ClassNotFoundException.class);
        try (EngineFixture fixture = new EngineFixture()) {
            Chat chat = fixture.chat("alice", "bob");
            FakeConnection bob = fixture.connect("bob");
            fixture.engine.send(user("alice"), chat.id(), "hi", null);
            assertThat(bob.awaitFrame("new_message").path("message").path("text").asText()).isEqualTo("hi");
            assertThat(fixture.engine.health()).isNotEmpty();
        }
    }
}
