package dev.chatwire.core;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.chatwire.core.EngineFixture.sendFrame;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sockets that have not authenticated yet are capped per peer address and per node: one more is closed at once with
 * 1013, and a place comes back exactly once, when the token is accepted, the socket closes or its connect deadline
 * passes.
 */
class ChatEngineUnauthenticatedCapTest {

    private static final InetAddress A = address("192.0.2.1");
    private static final InetAddress B = address("192.0.2.2");

    private final List<ChatMetrics.Refusal> refusals = new CopyOnWriteArrayList<>();
    private final ChatMetrics metrics = new ChatMetrics() {
        @Override
        public void refused(Refusal reason) {
            refusals.add(reason);
        }
    };

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static ChatLimits caps(int perAddress, int total) {
        return ChatLimits.defaults().toBuilder().maxUnauthenticatedPerAddress(perAddress).maxUnauthenticated(total)
                .build();
    }

    private static FakeConnection open(ChatEngine engine, InetAddress peer) {
        FakeConnection connection = new FakeConnection();
        connection.peer = peer;
        connection.session = engine.open(connection);
        return connection;
    }

    private static void assertOpen(FakeConnection connection) {
        assertThat(connection.closeCode).as("close code of a socket that should be open").isNull();
    }

    private static void assertRefused(FakeConnection connection, String reason) {
        assertThat(connection.closeCode).isEqualTo(CloseCodes.TRY_AGAIN_LATER);
        assertThat(connection.closeReason).isEqualTo(reason);
    }

    @Test
    void aSocketOverThePerAddressCapIsClosedAtOnceWhileOtherAddressesStillOpen() {
        try (EngineFixture fixture = new EngineFixture();
             ChatEngine engine = fixture.builder().limits(caps(2, 100)).metrics(metrics).build()) {
            FakeConnection first = open(engine, A);
            FakeConnection second = open(engine, A);
            FakeConnection third = open(engine, A);
            FakeConnection other = open(engine, B);

            assertOpen(first);
            assertOpen(second);
            assertRefused(third, "too many unauthenticated sockets from this address");
            assertOpen(other);
            assertThat(refusals).containsExactly(ChatMetrics.Refusal.TOO_MANY_UNAUTHENTICATED);
            assertThat(engine.connectionCount()).isEqualTo(3);
        }
    }

    @Test
    void theNodeCapCountsEveryAddressAndSocketsOfUnknownAddress() {
        try (EngineFixture fixture = new EngineFixture();
             ChatEngine engine = fixture.builder().limits(caps(10, 3)).metrics(metrics).build()) {
            assertOpen(open(engine, A));
            assertOpen(open(engine, B));
            assertOpen(open(engine, null));

            assertRefused(open(engine, address("192.0.2.3")), "too many unauthenticated sockets");
            assertRefused(open(engine, null), "too many unauthenticated sockets");
            assertThat(refusals).hasSize(2).containsOnly(ChatMetrics.Refusal.TOO_MANY_UNAUTHENTICATED);
        }
    }

    @Test
    void anIpv6ClientCountsByItsSlash64() {
        try (EngineFixture fixture = new EngineFixture();
             ChatEngine engine = fixture.builder().limits(caps(2, 100)).build()) {
            assertOpen(open(engine, address("2001:db8:1:2::1")));
            assertOpen(open(engine, address("2001:db8:1:2:ffff::9")));

            assertRefused(open(engine, address("2001:db8:1:2::3")),
                    "too many unauthenticated sockets from this address");
            assertOpen(open(engine, address("2001:db8:1:3::1")));
        }
    }

    @Test
    void aPlaceComesBackOnceWhenTheTokenIsAcceptedAndNotAgainWhenTheSocketCloses() {
        try (EngineFixture fixture = new EngineFixture();
             ChatEngine engine = fixture.builder().limits(caps(2, 100)).build()) {
            FakeConnection alice = open(engine, A);
            open(engine, A);
            assertRefused(open(engine, A), "too many unauthenticated sockets from this address");

            sendFrame(alice, "{\"type\":\"connect\",\"token\":\"valid:alice\"}");
            alice.awaitFrame("connected");
            FakeConnection afterAuthentication = open(engine, A);
            assertOpen(afterAuthentication);
            assertRefused(open(engine, A), "too many unauthenticated sockets from this address");

            alice.session.onClose();
            assertRefused(open(engine, A), "too many unauthenticated sockets from this address");
        }
    }

    @Test
    void aPlaceComesBackOnceWhenAnUnauthenticatedSocketClosesOrIsRefused() {
        try (EngineFixture fixture = new EngineFixture();
             ChatEngine engine = fixture.builder().limits(caps(2, 100)).build()) {
            FakeConnection leaving = open(engine, A);
            FakeConnection forged = open(engine, A);

            leaving.session.onClose();
            leaving.session.onClose();
            sendFrame(forged, "{\"type\":\"connect\",\"token\":\"forged\"}");
            forged.awaitClosed();
            forged.session.onClose();

            assertOpen(open(engine, A));
            assertOpen(open(engine, A));
            assertRefused(open(engine, A), "too many unauthenticated sockets from this address");
        }
    }

    @Test
    void aPlaceComesBackWhenTheConnectDeadlinePasses() {
        ManualScheduler time = new ManualScheduler(Instant.parse("2026-12-05T06:00:00Z"));
        try (EngineFixture fixture = new EngineFixture();
             ChatEngine engine = fixture.builder().limits(caps(2, 100)).scheduler(time).clock(time.clock())
                     .build()) {
            FakeConnection silent = open(engine, A);
            FakeConnection alsoSilent = open(engine, A);
            assertRefused(open(engine, A), "too many unauthenticated sockets from this address");

            time.advance(ChatLimits.defaults().connectTimeout());

            assertThat(silent.closeCode).isEqualTo(CloseCodes.UNAUTHORIZED);
            assertThat(alsoSilent.closeCode).isEqualTo(CloseCodes.UNAUTHORIZED);
            assertOpen(open(engine, A));
            assertOpen(open(engine, A));
            assertRefused(open(engine, A), "too many unauthenticated sockets from this address");
        }
    }
}
