package dev.chatwire.client;

import dev.chatwire.core.ChatLimits;
import dev.chatwire.testing.TcpLink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Alice sends through a proxy that can swallow the server's answers and cut her link. */
class OutboxEndToEndTest {

    private static final int MAX_TEXT_CHARS = 1_000;

    private TestServer server;
    private TcpLink proxy;
    private final Clients clients = new Clients();
    private final List<Message> aliceSees = new CopyOnWriteArrayList<>();
    private final List<ConnectionState> aliceStates = new CopyOnWriteArrayList<>();
    private ChatClient alice;
    private Chat chat;

    @BeforeEach
    void connectAliceBehindAProxy() throws Exception {
        server = TestServer.start(ChatLimits.defaults().toBuilder().maxTextChars(MAX_TEXT_CHARS).build());
        proxy = TcpLink.to(server.port());
        alice = clients.of("alice", TestServer.socketUri(proxy.port()));
        alice.onMessage(aliceSees::add);
        alice.onState(aliceStates::add);
        List<String> aliceJoined = new CopyOnWriteArrayList<>();
        alice.onChatJoined(joined -> aliceJoined.add(joined.chatId()));
        alice.connect().get(10, TimeUnit.SECONDS);
        chat = alice.api().createChat(List.of("bob"), null).get(10, TimeUnit.SECONDS);
        // The socket learns of the chat on its own: a test that silences the link before then would resume without it.
        await().until(() -> aliceJoined.contains(chat.id()));
    }

    @AfterEach
    void stop() throws Exception {
        clients.close();
        proxy.close();
        server.stop();
    }

    @Test
    void aSendWhoseAckWasLostIsSentAgainAfterTheReconnectAndStoredOnce() throws Exception {
        proxy.dropReplies();
        CompletableFuture<Message> send = alice.send(chat.id(), "only once");
        await().until(() -> server.storedTexts("bob", chat.id()).contains("only once"));
        assertThat(send).isNotDone();

        proxy.cut();
        proxy.heal();
        Message stored = send.get(10, TimeUnit.SECONDS);

        assertThat(stored.text()).isEqualTo("only once");
        assertThat(server.storedTexts("bob", chat.id())).containsExactly("only once");
        await().until(() -> aliceSees.size() == 1);
        assertThat(aliceSees).containsExactly(stored);
    }

    @Test
    void aSendMadeWhileOfflineGoesOutOnceTheLinkIsBack() throws Exception {
        proxy.refuse();
        await().until(() -> aliceStates.stream().anyMatch(ConnectionState.Disconnected.class::isInstance));

        CompletableFuture<Message> send = alice.send(chat.id(), "written offline");
        proxy.heal();

        assertThat(send.get(10, TimeUnit.SECONDS).text()).isEqualTo("written offline");
        assertThat(server.storedTexts("bob", chat.id())).containsExactly("written offline");
    }

    @Test
    void aSendTheServerRefusesFailsWithItsCodeAndIsNotSentAgain() throws Exception {
        CompletableFuture<Message> refused = alice.send("a-chat-alice-is-not-in", "hello?");

        assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(ChatRefusedException.class)
                .extracting(cause -> ((ChatRefusedException) cause).code()).isEqualTo("forbidden");
        CompletableFuture<Message> tooLong = alice.send(chat.id(), "x".repeat(MAX_TEXT_CHARS + 1));
        assertThatThrownBy(() -> tooLong.get(10, TimeUnit.SECONDS)).cause()
                .extracting(cause -> ((ChatRefusedException) cause).code()).isEqualTo("too_large");

        // A reconnect resends what waits for an answer: the refused sends must no longer be among them.
        proxy.cut();
        Message after = alice.send(chat.id(), "after the reconnect").get(10, TimeUnit.SECONDS);
        assertThat(after.seq()).isEqualTo(1);
        assertThat(server.storedTexts("bob", chat.id())).containsExactly("after the reconnect");
    }

    @Test
    void aSendOverTheFrameLimitFailsBeforeAnythingIsSentAndTheSocketStaysOpen() {
        String hugeOnceEscaped = "\u0001".repeat(12_000);

        CompletableFuture<Message> send = alice.send(chat.id(), hugeOnceEscaped);

        assertThat(send).isCompletedExceptionally();
        assertThatThrownBy(send::join).cause().isInstanceOf(ChatRefusedException.class)
                .hasMessageContaining("over the server's limit of 65536")
                .extracting(cause -> ((ChatRefusedException) cause).code()).isEqualTo("too_large");
        assertThat(aliceStates).noneMatch(ConnectionState.Disconnected.class::isInstance);
        assertThat(alice.state()).isInstanceOf(ConnectionState.Connected.class);
    }

    @Test
    void closingFailsTheSendsStillWaitingAndEverySendAfterwards() {
        proxy.dropReplies();
        CompletableFuture<Message> waiting = alice.send(chat.id(), "never acknowledged");

        alice.close();

        assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
        assertThatThrownBy(() -> alice.send(chat.id(), "too late").get(10, TimeUnit.SECONDS))
                .isInstanceOf(CancellationException.class);
        await().until(() -> alice.state() instanceof ConnectionState.Disconnected disconnected
                && disconnected.nextAttemptIn().isEmpty());
    }
}
