package dev.chatwire.jakarta;

import dev.chatwire.core.ChatEngine;
import dev.chatwire.core.CloseCodes;
import dev.chatwire.core.SocketSettings;
import dev.chatwire.core.jwt.JwtTokenVerifier;
import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The connection's housekeeping and its writes in flight, driven by hand against a fake Jakarta session and a clock
 * the test moves: which socket counts as idle, what keeps one alive, and what becomes of the writes when a socket is
 * stuck or closed. The connection is never bound to the housekeeper here, so only the test calls {@code housekeep}.
 */
class JakartaConnectionTest {

    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(1);

    private final ChatEngine engine = ChatEngine.builder()
            .tokenVerifier(JwtTokenVerifier.hs256(Tokens.SECRET).build())
            .inMemory()
            .build();
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final ChatEndpointConfig config = ChatEndpointConfig.create(engine, SocketSettings.builder()
            .idleTimeout(IDLE_TIMEOUT)
            .pingInterval(Duration.ofMillis(250))
            .sendTimeout(Duration.ofSeconds(30))
            .build(), now::get);
    private final FakeSession peer = new FakeSession();

    @AfterEach
    void close() {
        config.close();
        engine.close();
    }

    @Test
    void aReceiveOnlySocketUnderSteadyTrafficIsNotIdle() {
        JakartaConnection connection = new JakartaConnection(peer.session, config);
        advance(Duration.ofMillis(700));

        // Steady traffic: each frame is taken by the peer and the next is already waiting, so the connection never
        // has a moment without a write outstanding and never pings. The peer itself sends nothing.
        connection.send("{\"n\":1}", failure -> { });
        peer.completeWrite(0);
        connection.send("{\"n\":2}", failure -> { });
        advance(IDLE_TIMEOUT.dividedBy(2));

        connection.housekeep(now.get());

        peer.completeWrite(1);
        assertThat(stillOpen(connection)).as("more than the idle timeout after it opened, but it just took a frame")
                .isTrue();
    }

    @Test
    void aSocketThatNeitherSendsNorTakesFramesIsClosedAsIdle() {
        JakartaConnection connection = new JakartaConnection(peer.session, config);

        advance(IDLE_TIMEOUT.dividedBy(2));
        connection.housekeep(now.get());
        assertThat(stillOpen(connection)).isTrue();
        peer.completeWrite(0);
        advance(IDLE_TIMEOUT.plusMillis(100));
        connection.housekeep(now.get());

        await().atMost(Duration.ofSeconds(5)).until(() -> !peer.closes.isEmpty());
        assertThat(peer.closes).containsExactly(CloseCodes.GOING_AWAY);
    }

    @Test
    void aFrameFromThePeerAlsoKeepsItAlive() {
        JakartaConnection connection = new JakartaConnection(peer.session, config);
        advance(Duration.ofMillis(700));
        connection.touch();
        advance(IDLE_TIMEOUT.dividedBy(2));

        connection.housekeep(now.get());

        assertThat(stillOpen(connection)).isTrue();
    }

    @Test
    void onAContainerThatQueuesOverlappingWritesSeveralFramesAreInFlightAtOnce() {
        JakartaConnection overlapping = new JakartaConnection(peer.session, config, true);
        assertThat(overlapping.maxSendsInFlight()).isGreaterThan(1);
        assertThat(new JakartaConnection(peer.session, config).maxSendsInFlight())
                .as("a container that is not Jetty gets one write at a time").isEqualTo(1);

        overlapping.send("{\"n\":1}", failure -> { });
        overlapping.send("{\"n\":2}", failure -> { });
        overlapping.send("{\"n\":3}", failure -> { });

        assertThat(peer.writes).hasSize(3);
    }

    @Test
    void aStuckWriteClosesTheSocketAndFailsEveryWriteInFlightOnce() {
        JakartaConnection connection = new JakartaConnection(peer.session, config, true);
        List<Throwable> first = new CopyOnWriteArrayList<>();
        List<Throwable> second = new CopyOnWriteArrayList<>();
        connection.send("{\"n\":1}", first::add);
        advance(Duration.ofSeconds(20));
        connection.send("{\"n\":2}", second::add);
        advance(Duration.ofSeconds(15));

        // The second write is 15 s old, within the 30 s send timeout; the first one, 35 s old, is stuck.
        connection.housekeep(now.get());
        peer.completeWrite(0);
        peer.completeWrite(1);

        await().atMost(Duration.ofSeconds(5)).until(() -> !peer.closes.isEmpty());
        assertThat(peer.closes).containsExactly(CloseCodes.SLOW_CONSUMER);
        assertThat(first).singleElement().isInstanceOf(SocketTimeoutException.class);
        assertThat(second).singleElement().isInstanceOf(SocketTimeoutException.class);
    }

    @Test
    void aSocketTheContainerClosedFailsEveryWriteInFlightOnce() {
        JakartaConnection connection = new JakartaConnection(peer.session, config, true);
        List<Throwable> first = new CopyOnWriteArrayList<>();
        List<Throwable> second = new CopyOnWriteArrayList<>();
        connection.send("{\"n\":1}", first::add);
        connection.send("{\"n\":2}", second::add);
        peer.completeWrite(0);

        connection.closedByContainer();
        peer.completeWrite(1);

        assertThat(first).containsExactly((Throwable) null);
        assertThat(second).singleElement().isInstanceOf(ClosedChannelException.class);
    }

    private void advance(Duration duration) {
        now.addAndGet(duration.toNanos());
    }

    /**
     * Whether the connection still takes a frame: a closed one refuses it at once, without writing; an open one writes
     * it, after the ping in progress if there is one.
     */
    private boolean stillOpen(JakartaConnection connection) {
        int writes = peer.writes.size();
        List<Throwable> refused = new CopyOnWriteArrayList<>();
        connection.send("{\"probe\":true}", failure -> {
            if (failure != null) {
                refused.add(failure);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> !refused.isEmpty() || peer.writes.size() > writes);
        return refused.isEmpty();
    }

    /** A Jakarta session that records what the connection asks of it; writes complete when the test says so. */
    private static final class FakeSession {
        final List<SendHandler> writes = new CopyOnWriteArrayList<>();
        final List<Integer> closes = new CopyOnWriteArrayList<>();
        final Session session;

        FakeSession() {
            RemoteEndpoint.Async remote = (RemoteEndpoint.Async) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[]{RemoteEndpoint.Async.class}, (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "sendText" -> writes.add((SendHandler) args[1]);
                            case "sendPing" -> { }
                            default -> throw new UnsupportedOperationException(method.getName());
                        }
                        return null;
                    });
            session = (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Session.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "getAsyncRemote" -> remote;
                        case "isOpen" -> closes.isEmpty();
                        case "close" -> {
                            closes.add(((CloseReason) args[0]).getCloseCode().getCode());
                            yield null;
                        }
                        case "getId" -> "fake";
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }

        void completeWrite(int index) {
            new ArrayList<>(writes).get(index).onResult(new SendResult(session));
        }
    }
}
