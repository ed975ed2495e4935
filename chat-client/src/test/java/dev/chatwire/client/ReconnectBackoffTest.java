package dev.chatwire.client;

import dev.chatwire.testing.TcpLink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The client's reconnect timing on virtual time: a proxy refuses connections until the test lets one through, and
 * the test moves the scheduler's clock by exactly each announced delay.
 */
class ReconnectBackoffTest {

    private static final Duration PING_INTERVAL = Duration.ofSeconds(10);

    private TestServer server;
    private TcpLink proxy;
    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<ConnectionState> states = new CopyOnWriteArrayList<>();
    private ChatClient client;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start();
        proxy = TcpLink.to(server.port());
        client = ChatClient.builder()
                .uri(TestServer.socketUri(proxy.port()))
                .tokenAsync(() -> CompletableFuture.completedFuture(Tokens.valid("alice")))
                .scheduler(scheduler)
                .random(BackoffTest.always(0.5))
                .backoff(Duration.ofMillis(100), Duration.ofMillis(1_000))
                .pingInterval(PING_INTERVAL)
                .build();
        client.onState(states::add);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        proxy.close();
        server.stop();
    }

    @Test
    void delaysGrowWhileAttemptsFailAndStartOverAfterASuccessfulConnect() {
        proxy.refuse();
        client.connect();

        assertThat(nextDelays(5)).containsExactly(50L, 100L, 200L, 400L, 500L);
        assertThat(states).filteredOn(ConnectionState.Connecting.class::isInstance)
                .extracting(state -> ((ConnectionState.Connecting) state).attempt()).containsExactly(1, 2, 3, 4, 5);

        proxy.heal();
        scheduler.advance(Duration.ofMillis(500));
        await().until(() -> client.state() instanceof ConnectionState.Connected);
        proxy.cut();
        // The cut may reach the client only as an unanswered ping: let virtual time run the ping ticks until it does.
        int seen = disconnects().size();
        await().until(() -> {
            scheduler.advance(PING_INTERVAL);
            return disconnects().size() > seen;
        });

        assertThat(disconnects().get(seen).retryIn()).isEqualTo(Duration.ofMillis(50));
    }

    /** Waits for each of the next {@code count} disconnects and lets its retry run; returns the delays announced. */
    private List<Long> nextDelays(int count) {
        List<Long> delays = new CopyOnWriteArrayList<>();
        for (int i = 0; i < count; i++) {
            int seen = disconnects().size();
            await().until(() -> disconnects().size() > seen);
            Duration delay = disconnects().get(seen).retryIn();
            delays.add(delay.toMillis());
            if (i < count - 1) {
                scheduler.advance(delay);
            }
        }
        return delays;
    }

    private List<ConnectionState.Disconnected> disconnects() {
        return states.stream().filter(ConnectionState.Disconnected.class::isInstance)
                .map(ConnectionState.Disconnected.class::cast).toList();
    }
}
