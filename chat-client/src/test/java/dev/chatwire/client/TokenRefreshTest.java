package dev.chatwire.client;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tokens that live three seconds, against a server that closes a socket with 4402 once its token's 10 s leeway is over.
 */
class TokenRefreshTest {

    private static final Duration SHORT_LIFE = Duration.ofSeconds(3);

    private TestServer server;
    private final Clients clients = new Clients();
    private final List<ConnectionState> states = new CopyOnWriteArrayList<>();
    private final AtomicInteger minted = new AtomicInteger();

    @BeforeEach
    void startServer() throws Exception {
        server = TestServer.start();
    }

    @AfterEach
    void stop() throws Exception {
        clients.close();
        server.stop();
    }

    @Test
    void anExpiringTokenIsReplacedOverTheOpenSocketWithoutADisconnect() throws Exception {
        ChatClient alice = clients.of("alice", server.socketUri(), builder -> builder.token(() -> {
            minted.incrementAndGet();
            return Tokens.expiringIn("alice", SHORT_LIFE);
        }));
        alice.onState(states::add);
        alice.connect().get(10, TimeUnit.SECONDS);
        Chat chat = alice.api().createChat(List.of("bob"), null).get(10, TimeUnit.SECONDS);

        // Three tokens of three seconds each: the first one has certainly expired by the time the third is asked for.
        await().atMost(Duration.ofSeconds(20)).until(() -> minted.get() >= 3);
        Message stored = alice.send(chat.id(), "still here").get(10, TimeUnit.SECONDS);

        assertThat(stored.seq()).isEqualTo(1);
        assertThat(states).noneMatch(ConnectionState.Disconnected.class::isInstance);
        assertThat(states).filteredOn(ConnectionState.Connected.class::isInstance).hasSize(1);
    }

    @Test
    void aSocketClosedForAnExpiredTokenReconnectsWithAFreshOneAndResumes() throws Exception {
        String shortLived = Tokens.expiringIn("alice", SHORT_LIFE);
        // The supplier hands out the short-lived token twice (so the refresh changes nothing), then a good one.
        ChatClient alice = clients.of("alice", server.socketUri(), builder -> builder.token(() ->
                minted.incrementAndGet() <= 2 ? shortLived : Tokens.valid("alice")));
        ChatClient bob = clients.of("bob", server.socketUri());
        List<Message> aliceSees = new CopyOnWriteArrayList<>();
        alice.onState(states::add);
        alice.onMessage(aliceSees::add);
        bob.connect().get(10, TimeUnit.SECONDS);
        alice.connect().get(10, TimeUnit.SECONDS);
        Chat chat = bob.api().createChat(List.of("alice"), null).get(10, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(20)).until(() -> states.stream().anyMatch(state ->
                state instanceof ConnectionState.Disconnected disconnected && disconnected.closeCode() == 4402));
        bob.send(chat.id(), "sent around the expiry").get(10, TimeUnit.SECONDS);

        await().until(() -> alice.state() instanceof ConnectionState.Connected && aliceSees.size() == 1);
        assertThat(aliceSees).extracting(Message::text).containsExactly("sent around the expiry");
        assertThat(minted).hasValue(3);
    }

    @Test
    void aTokenTheServerRefusesIsReplacedByAFreshOneOnTheNextAttempt() throws Exception {
        ChatClient alice = clients.of("alice", server.socketUri(), builder -> builder.token(() ->
                minted.incrementAndGet() == 1 ? Tokens.forged("alice") : Tokens.valid("alice")));
        alice.onState(states::add);

        alice.connect().get(10, TimeUnit.SECONDS);

        assertThat(states).filteredOn(ConnectionState.Disconnected.class::isInstance)
                .extracting(state -> ((ConnectionState.Disconnected) state).closeCode()).containsExactly(4401);
        assertThat(minted).hasValue(2);
    }
}
