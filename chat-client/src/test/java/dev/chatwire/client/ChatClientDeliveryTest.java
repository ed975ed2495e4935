package dev.chatwire.client;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class ChatClientDeliveryTest {

    private TestServer server;
    private final Clients clients = new Clients();

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
    void aMessageReachesTheOtherParticipantOnceAndTheSenderGetsItAsStored() throws Exception {
        ChatClient alice = clients.of("alice", server.socketUri());
        ChatClient bob = clients.of("bob", server.socketUri());
        List<Message> aliceSees = new CopyOnWriteArrayList<>();
        List<Message> bobSees = new CopyOnWriteArrayList<>();
        List<ChatJoinedEvent> bobJoined = new CopyOnWriteArrayList<>();
        alice.onMessage(aliceSees::add);
        bob.onMessage(bobSees::add);
        bob.onChatJoined(bobJoined::add);
        alice.connect().get(10, TimeUnit.SECONDS);
        bob.connect().get(10, TimeUnit.SECONDS);

        Chat chat = alice.api().createChat(List.of("bob"), "pair").get(10, TimeUnit.SECONDS);
        await().until(() -> bobJoined.stream().anyMatch(joined -> joined.chatId().equals(chat.id())));
        Message stored = alice.send(chat.id(), "hello bob").get(10, TimeUnit.SECONDS);

        assertThat(stored.seq()).isEqualTo(1);
        assertThat(stored.senderId()).isEqualTo("alice");
        assertThat(stored.text()).isEqualTo("hello bob");
        await().until(() -> bobSees.size() == 1 && aliceSees.size() == 1);
        assertThat(bobSees).containsExactly(stored);
        assertThat(aliceSees).containsExactly(stored);
        assertThat(alice.state()).isInstanceOf(ConnectionState.Connected.class);
    }

    @Test
    void typingReadAndPresenceReachTheOtherParticipant() throws Exception {
        ChatClient alice = clients.of("alice", server.socketUri());
        List<TypingEvent> typing = new CopyOnWriteArrayList<>();
        List<ReadEvent> reads = new CopyOnWriteArrayList<>();
        List<PresenceEvent> presence = new CopyOnWriteArrayList<>();
        alice.onTyping(typing::add);
        alice.onRead(reads::add);
        alice.onPresence(presence::add);
        alice.connect().get(10, TimeUnit.SECONDS);
        Chat chat = alice.api().createChat(List.of("bob"), null).get(10, TimeUnit.SECONDS);
        Message first = alice.send(chat.id(), "are you there?").get(10, TimeUnit.SECONDS);

        ChatClient bob = clients.of("bob", server.socketUri());
        bob.connect().get(10, TimeUnit.SECONDS);
        // Reading accepts the chat alice added bob to: only then does his presence show there.
        bob.read(chat.id(), first.seq());
        await().until(() -> presence.contains(new PresenceEvent(chat.id(), "bob", true)));
        bob.typing(chat.id());
        bob.typing(chat.id());

        await().until(() -> reads.contains(new ReadEvent(chat.id(), "bob", first.seq())));
        // The second keystroke fell inside the typing interval: one frame for both.
        assertThat(typing).containsExactly(new TypingEvent(chat.id(), "bob", true));
        bob.close();
        await().until(() -> presence.contains(new PresenceEvent(chat.id(), "bob", false)));
    }

    @Test
    void chatsHistoryAndUploadsGoThroughTheRestApi(@org.junit.jupiter.api.io.TempDir Path files) throws Exception {
        ChatClient alice = clients.of("alice", server.socketUri());
        Chat chat = alice.api().createChat(List.of("bob", "carol"), "trio").get(10, TimeUnit.SECONDS);
        Path notes = Files.writeString(files.resolve("notes.txt"), "plain notes", StandardCharsets.UTF_8);

        List<Message> uploaded = alice.api().upload(chat.id(), "see attached", List.of(notes))
                .get(10, TimeUnit.SECONDS);

        assertThat(uploaded).extracting(Message::type).containsExactly("text", "file");
        assertThat(uploaded.get(1).attachment().name()).isEqualTo("notes.txt");
        assertThat(uploaded.get(1).attachment().mimeType()).isEqualTo("text/plain");
        assertThat(alice.api().chats().get(10, TimeUnit.SECONDS)).extracting(Chat::id).containsExactly(chat.id());
        assertThat(alice.api().history(chat.id(), HistoryPage.newest(10)).get(10, TimeUnit.SECONDS))
                .isEqualTo(uploaded);
        assertThat(alice.api().history(chat.id(), HistoryPage.after(uploaded.get(0).seq(), 10))
                .get(10, TimeUnit.SECONDS)).containsExactly(uploaded.get(1));
    }

    @Test
    void aRestRequestTheServerRefusesFailsWithItsCode() {
        ChatClient mallory = clients.of("mallory", server.socketUri());

        assertThatThrownBy(() -> mallory.api().history("not-my-chat", HistoryPage.newest(10))
                .get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(ChatRefusedException.class)
                .extracting(cause -> ((ChatRefusedException) cause).code()).isEqualTo("forbidden");
    }
}
