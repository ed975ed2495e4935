package dev.chatwire.client;

import dev.chatwire.testing.TcpLink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Bob's link is cut under him by a proxy while alice keeps sending; he must end with every message once, in order. */
class ReconnectResumeTest {

    private TestServer server;
    private TcpLink proxy;
    private final Clients clients = new Clients();
    private final List<Message> bobSees = new CopyOnWriteArrayList<>();
    private final List<ConnectionState> bobStates = new CopyOnWriteArrayList<>();
    private ChatClient alice;
    private ChatClient bob;
    private Chat chat;

    @BeforeEach
    void connectBothWithBobBehindAProxy() throws Exception {
        server = TestServer.start();
        proxy = TcpLink.to(server.port());
        alice = clients.of("alice", server.socketUri());
        bob = clients.of("bob", TestServer.socketUri(proxy.port()));
        bob.onMessage(bobSees::add);
        bob.onState(bobStates::add);
        alice.connect().get(10, TimeUnit.SECONDS);
        chat = alice.api().createChat(List.of("bob"), null).get(10, TimeUnit.SECONDS);
        bob.connect().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        clients.close();
        proxy.close();
        server.stop();
    }

    @Test
    void messagesSentWhileTheLinkWasDownArriveOnceAndInOrderAfterTheReconnect() throws Exception {
        sendAll(texts(1, 5));
        await().until(() -> bobSees.size() == 5);

        proxy.refuse();
        await().until(() -> bobStates.stream().anyMatch(ConnectionState.Disconnected.class::isInstance));
        sendAll(texts(6, 25));
        proxy.heal();

        await().untilAsserted(() -> {
            assertThat(bob.state()).isInstanceOf(ConnectionState.Connected.class);
            assertThat(bobSees).hasSizeGreaterThanOrEqualTo(25);
        });
        assertEveryMessageOnceInOrder(25);
        assertThat(bobStates).filteredOn(ConnectionState.Disconnected.class::isInstance)
                .allMatch(state -> ((ConnectionState.Disconnected) state).closeCode()
                        == ConnectionState.ABNORMAL_CLOSURE);
        assertThat(proxy.connections()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void cuttingTheLinkWhileMessagesAreInFlightLosesAndRepeatsNone() throws Exception {
        List<CompletableFuture<Message>> sends = new ArrayList<>();
        for (String text : texts(1, 20)) {
            sends.add(alice.send(chat.id(), text));
            if (text.equals("m7")) {
                proxy.cut();
            }
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

        await().untilAsserted(() -> {
            assertThat(bob.state()).isInstanceOf(ConnectionState.Connected.class);
            assertThat(bobSees).hasSizeGreaterThanOrEqualTo(20);
        });
        assertEveryMessageOnceInOrder(20);
    }

    private void assertEveryMessageOnceInOrder(int count) {
        List<String> expected = texts(1, count);
        assertThat(bobSees).extracting(Message::text).containsExactlyElementsOf(expected);
        assertThat(bobSees).extracting(Message::seq)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, count).mapToObj(Long::valueOf).toList());
        assertThat(server.storedTexts("bob", chat.id())).containsExactlyElementsOf(expected);
    }

    private void sendAll(List<String> texts) throws Exception {
        List<CompletableFuture<Message>> sends = texts.stream().map(text -> alice.send(chat.id(), text)).toList();
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    }

    private static List<String> texts(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "m" + i).toList();
    }
}
