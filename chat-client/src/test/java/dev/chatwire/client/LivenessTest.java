package dev.chatwire.client;

import dev.chatwire.testing.TcpLink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A link that goes silent without closing: the proxy keeps the TCP connection open and swallows the server's side. */
class LivenessTest {

    private static final Duration PING_INTERVAL = Clients.PING_INTERVAL;

    private TestServer server;
    private TcpLink proxy;
    private final Clients clients = new Clients();

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start();
        proxy = TcpLink.to(server.port());
    }

    @AfterEach
    void stop() throws Exception {
        clients.close();
        proxy.close();
        server.stop();
    }

    @Test
    void aSilentLinkIsGivenUpWithinTwoPingIntervalsAndReplaced() throws Exception {
        List<ConnectionState> states = new CopyOnWriteArrayList<>();
        // While the link stays silent, reconnect attempts hang in the handshake until the connect timeout.
        ChatClient alice = clients.of("alice", TestServer.socketUri(proxy.port()),
                builder -> builder.connectTimeout(Duration.ofSeconds(1)));
        alice.onState(states::add);
        alice.connect().get(10, TimeUnit.SECONDS);

        proxy.dropReplies();
        long silentSince = System.nanoTime();
        await().atMost(Duration.ofSeconds(10)).until(() -> states.stream()
                .anyMatch(ConnectionState.Disconnected.class::isInstance));
        Duration noticedAfter = Duration.ofNanos(System.nanoTime() - silentSince);
        proxy.heal();

        await().until(() -> alice.state() instanceof ConnectionState.Connected);
        ConnectionState.Disconnected drop = states.stream().filter(ConnectionState.Disconnected.class::isInstance)
                .map(ConnectionState.Disconnected.class::cast).findFirst().orElseThrow();
        assertThat(drop.closeCode()).isEqualTo(ConnectionState.ABNORMAL_CLOSURE);
        assertThat(drop.reason()).contains("no frame or pong");
        // Two intervals, plus slack for a loaded build machine's scheduling.
        assertThat(noticedAfter).isLessThan(PING_INTERVAL.multipliedBy(2).plusSeconds(2));
    }

    @Test
    void aQuietButHealthyLinkIsKept() throws Exception {
        List<ConnectionState> states = new CopyOnWriteArrayList<>();
        ChatClient alice = clients.of("alice", TestServer.socketUri(proxy.port()));
        alice.onState(states::add);
        alice.connect().get(10, TimeUnit.SECONDS);
        int connections = proxy.connections();

        // Four intervals whose only traffic is the client's pings and the server's pongs: the socket must stay.
        await().during(PING_INTERVAL.multipliedBy(4)).atMost(PING_INTERVAL.multipliedBy(8))
                .until(() -> states.stream().noneMatch(ConnectionState.Disconnected.class::isInstance));

        assertThat(proxy.connections()).isEqualTo(connections);
    }
}
