package dev.chatwire.core;

import dev.chatwire.core.micrometer.MicrometerChatMetrics;
import dev.chatwire.core.spi.HealthCheck;
import dev.chatwire.core.spi.MessageStore;
import dev.chatwire.core.spi.UnavailableException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static dev.chatwire.core.EngineFixture.open;
import static dev.chatwire.core.EngineFixture.sendFrame;
import static dev.chatwire.core.EngineFixture.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The engine drives the {@code chatwire.*} meters (docs/operations.md) through {@link MicrometerChatMetrics}. */
class ChatMetricsTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();

    private EngineFixture fixture(ChatLimits limits) {
        return new EngineFixture(limits) {
            @Override
            ChatEngineBuilder builder() {
                return super.builder().metrics(new MicrometerChatMetrics(registry));
            }
        };
    }

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    @Test
    void admittedSocketsStoredMessagesAndTheirDeliveriesAreCounted() {
        try (EngineFixture fixture = fixture(ChatLimits.defaults())) {
            Chat chat = fixture.chat("alice", "bob");
            FakeConnection alice = fixture.connect("alice");
            FakeConnection bob = fixture.connect("bob");
            assertThat(count("chatwire.connections.admitted")).isEqualTo(2);
            assertThat(gauge("chatwire.connections")).isEqualTo(2);

            sendFrame(alice, "{\"type\":\"send\",\"chatId\":\"" + chat.id() + "\",\"text\":\"hi\"}");
            bob.awaitFrame("new_message");
            fixture.engine.send(user("bob"), chat.id(), "hello", null);
            alice.awaitFrame("new_message", frame -> frame.path("message").path("text").asText().equals("hello"));

            assertThat(count("chatwire.messages.stored")).isEqualTo(2);
            // Each message reaches both of its participants' sockets.
            assertThat(count("chatwire.messages.delivered")).isEqualTo(4);
            assertThat(registry.get("chatwire.messages.delivery").timer().count()).isEqualTo(4);

            bob.close(CloseCodes.GOING_AWAY, "bye");
            assertThat(gauge("chatwire.connections")).isEqualTo(1);
        }
    }

    @Test
    void closingTheEngineRemovesItsGaugesSoThatANewEngineCanRegisterItsOwn() {
        try (EngineFixture fixture = fixture(ChatLimits.defaults())) {
            fixture.connect("alice");
            assertThat(gauge("chatwire.connections")).isEqualTo(1);
            fixture.engine.close();

            assertThat(registry.find("chatwire.connections").gauge()).isNull();
            assertThat(registry.find("chatwire.outbound.queued").gauge()).isNull();
            try (EngineFixture next = fixture(ChatLimits.defaults())) {
                next.connect("bob");
                assertThat(gauge("chatwire.connections")).isEqualTo(1);
            }
        }
    }

    @Test
    void deliveryLatencyRunsFromStoreToTheSocketWrite() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try (EngineFixture fixture = new EngineFixture() {
            @Override
            ChatEngineBuilder builder() {
                return super.builder().clock(clock).metrics(new MicrometerChatMetrics(registry));
            }
        }) {
            Chat chat = fixture.chat("alice", "bob");
            FakeConnection bob = fixture.connect("bob");
            bob.stall();

            fixture.engine.send(user("alice"), chat.id(), "hi", null);
            assertThat(gauge("chatwire.outbound.queued")).isPositive();
            clock.advance(Duration.ofMillis(250));
            bob.completeWritesOn(writer);

            Timer latency = registry.get("chatwire.messages.delivery").timer();
            await().until(() -> latency.count() == 1);
            assertThat(latency.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(250);
            await().until(() -> gauge("chatwire.outbound.queued") == 0);
        } finally {
            writer.shutdownNow();
        }
    }

    @Test
    void refusedSocketsAreCountedByReason() {
        ChatLimits oneEach = ChatLimits.defaults().toBuilder().maxConnectionsPerUser(1).build();
        try (EngineFixture fixture = fixture(oneEach)) {
            // Admission runs on the engine's executor: each refusal is counted by the time its socket is closed.
            for (String frame : List.of("{\"type\":\"connect\",\"token\":\"forged\"}",
                    "{\"type\":\"connect\",\"token\":\"valid:a\\u0001b\"}", "{\"type\":\"ping\"}")) {
                FakeConnection refused = open(fixture.engine);
                sendFrame(refused, frame);
                refused.awaitClosed();
            }
            fixture.connect("alice");
            FakeConnection second = open(fixture.engine);
            sendFrame(second, "{\"type\":\"connect\",\"token\":\"valid:alice\"}");
            second.awaitClosed();

            assertThat(count("chatwire.connections.refused", "reason", "token_refused")).isEqualTo(1);
            assertThat(count("chatwire.connections.refused", "reason", "invalid_user")).isEqualTo(1);
            assertThat(count("chatwire.connections.refused", "reason", "no_connect")).isEqualTo(1);
            assertThat(count("chatwire.connections.refused", "reason", "too_many_connections")).isEqualTo(1);
            assertThat(count("chatwire.connections.refused", "reason", "unavailable")).isZero();
            assertThat(count("chatwire.connections.admitted")).isEqualTo(1);
        }
    }

    @Test
    void rateLimitedCommandsAndSlowConsumersAreCounted() {
        ChatLimits limits = ChatLimits.defaults().toBuilder().commandRate(0.001, 1).maxQueueBytes(2_000).build();
        try (EngineFixture fixture = fixture(limits)) {
            Chat chat = fixture.chat("alice", "bob");
            FakeConnection alice = fixture.connect("alice");
            FakeConnection bob = fixture.connect("bob");
            sendFrame(alice, "{\"type\":\"typing\",\"chatId\":\"" + chat.id() + "\",\"active\":true}");
            sendFrame(alice, "{\"type\":\"typing\",\"chatId\":\"" + chat.id() + "\",\"active\":true}");
            assertThat(count("chatwire.commands.rate.limited")).isEqualTo(1);

            bob.stall();
            for (int i = 0; i < 30 && bob.closeCode == null; i++) {
                fixture.engine.send(user("alice"), chat.id(), "x".repeat(100), null);
            }
            bob.awaitClosed();
            assertThat(bob.closeCode).isEqualTo(CloseCodes.SLOW_CONSUMER);
            assertThat(count("chatwire.connections.slow")).isEqualTo(1);
        }
    }

    @Test
    void replaysAndTheMessagesTheyReadAreCounted() {
        try (EngineFixture fixture = fixture(ChatLimits.defaults())) {
            Chat chat = fixture.chat("alice", "bob");
            for (int i = 0; i < 3; i++) {
                fixture.engine.send(user("bob"), chat.id(), "missed " + i, null);
            }
            FakeConnection alice = EngineFixture.connect(fixture.engine, "alice", Map.of(chat.id(), 0L));
            await().until(() -> alice.messageSeqs(chat.id()).size() == 3);

            assertThat(count("chatwire.replays")).isEqualTo(1);
            assertThat(count("chatwire.replays.messages")).isEqualTo(3);
            assertThat(count("chatwire.messages.delivered")).isEqualTo(3);
        }
    }

    @Test
    void adapterFailuresAreCountedBySpiAndOperation() {
        try (EngineFixture fixture = new EngineFixture() {
            @Override
            ChatEngineBuilder builder() {
                MessageStore failing = new DelegatingMessageStore(messages) {
                    @Override
                    public Appended append(MessageDraft draft) {
                        throw new UnavailableException("store down");
                    }
                };
                return super.builder().messageStore(failing).metrics(new MicrometerChatMetrics(registry));
            }
        }) {
            Chat chat = fixture.chat("alice", "bob");

            assertThatThrownBy(() -> fixture.engine.send(user("alice"), chat.id(), "hi", null))
                    .isInstanceOf(ChatException.class);

            assertThat(count("chatwire.adapter.failures", "spi", "MessageStore", "operation", "appendAll"))
                    .isEqualTo(1);
            assertThat(count("chatwire.messages.stored")).isZero();
        }
    }

    @Test
    void withoutMetricsTheEngineUsesItsAdaptersAsGiven() {
        try (EngineFixture fixture = new EngineFixture()) {
            assertThat(AdapterFailures.counted(MessageStore.class, fixture.messages, ChatMetrics.NONE))
                    .isSameAs(fixture.messages);
            Chat chat = fixture.chat("alice", "bob");
            FakeConnection bob = fixture.connect("bob");
            fixture.engine.send(user("alice"), chat.id(), "hi", null);
            bob.awaitFrame("new_message");
            assertThat(registry.getMeters()).isEmpty();
        }
    }

    @Test
    void healthReportsEachAdapterThatCanBeChecked() {
        try (EngineFixture fixture = new EngineFixture() {
            @Override
            ChatEngineBuilder builder() {
                class DownStore extends DelegatingMessageStore implements HealthCheck {
                    DownStore() {
                        super(messages);
                    }

                    @Override
                    public Health checkHealth() {
                        throw new UnavailableException("no answer from the database");
                    }
                }
                return super.builder().messageStore(new DownStore());
            }
        }) {
            Map<String, HealthCheck.Health> health = fixture.engine.health();

            assertThat(health).containsOnlyKeys("messageStore", "chatStore", "readStateStore", "mediaStore",
                    "presenceRegistry", "roomBroadcaster");
            assertThat(health.get("messageStore").up()).isFalse();
            assertThat(health.get("messageStore").detail()).contains("no answer from the database");
            assertThat(health.get("chatStore")).isEqualTo(HealthCheck.Health.up("in memory"));
        }
    }
}
