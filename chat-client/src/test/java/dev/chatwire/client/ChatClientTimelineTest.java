package dev.chatwire.client;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/** Edits, deletes and reactions: made over the client's API, heard as {@link MessageUpdate}s once, in seq order. */
class ChatClientTimelineTest {

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
    void changesReachTheOtherParticipantOnceInSeqOrderWithTheMessagesState() throws Exception {
        ChatClient alice = clients.of("alice", server.socketUri());
        ChatClient bob = clients.of("bob", server.socketUri());
        List<MessageUpdate> bobSees = new CopyOnWriteArrayList<>();
        List<ChatJoinedEvent> joined = new CopyOnWriteArrayList<>();
        bob.onMessageUpdated(bobSees::add);
        bob.onChatJoined(joined::add);
        alice.connect().get(10, TimeUnit.SECONDS);
        bob.connect().get(10, TimeUnit.SECONDS);
        Chat chat = alice.api().createChat(List.of("bob"), null).get(10, TimeUnit.SECONDS);
        await().until(() -> !joined.isEmpty());
        Message message = alice.send(chat.id(), "helo").get(10, TimeUnit.SECONDS);

        MessageUpdate edit = alice.api().editMessage(chat.id(), message.id(), "hello").get(10, TimeUnit.SECONDS);
        MessageUpdate reaction = bob.api().react(chat.id(), message.id(), "👍", true).get(10, TimeUnit.SECONDS);
        MessageUpdate delete = alice.api().deleteMessage(chat.id(), message.id()).get(10, TimeUnit.SECONDS);

        assertThat(List.of(edit.seq(), reaction.seq(), delete.seq())).containsExactly(2L, 3L, 4L);
        assertThat(edit.message().text()).isEqualTo("hello");
        assertThat(edit.message().editedAt()).isNotNull();
        assertThat(reaction.message().reactions()).containsEntry("👍", List.of("bob"));
        assertThat(delete.message().deleted()).isTrue();
        await().until(() -> bobSees.size() == 3);
        assertThat(bobSees).containsExactly(edit, reaction, delete);
        assertThat(joined.get(0).unread()).isZero();
    }

    @Test
    void membersHearWhoWasAddedAndRemovedAndTheRemovedUserLeaves() throws Exception {
        ChatClient alice = clients.of("alice", server.socketUri());
        ChatClient bob = clients.of("bob", server.socketUri());
        ChatClient carol = clients.of("carol", server.socketUri());
        List<ChatUpdatedEvent> bobHears = new CopyOnWriteArrayList<>();
        List<ChatLeftEvent> carolLeft = new CopyOnWriteArrayList<>();
        List<ChatJoinedEvent> bobJoined = new CopyOnWriteArrayList<>();
        List<ChatJoinedEvent> carolJoined = new CopyOnWriteArrayList<>();
        bob.onChatUpdated(bobHears::add);
        bob.onChatJoined(bobJoined::add);
        carol.onChatJoined(carolJoined::add);
        carol.onChatLeft(carolLeft::add);
        alice.connect().get(10, TimeUnit.SECONDS);
        bob.connect().get(10, TimeUnit.SECONDS);
        carol.connect().get(10, TimeUnit.SECONDS);
        Chat chat = alice.api().createChat(List.of("bob"), null).get(10, TimeUnit.SECONDS);
        await().until(() -> !bobJoined.isEmpty());

        alice.api().addParticipant(chat.id(), "carol").get(10, TimeUnit.SECONDS);
        await().until(() -> !carolJoined.isEmpty());
        Chat after = alice.api().removeParticipant(chat.id(), "carol").get(10, TimeUnit.SECONDS);

        await().until(() -> bobHears.size() == 2 && carolLeft.size() == 1);
        assertThat(bobHears).extracting(ChatUpdatedEvent::change, ChatUpdatedEvent::userId, ChatUpdatedEvent::by)
                .containsExactly(tuple("participant_added", "carol", "alice"),
                        tuple("participant_removed", "carol", "alice"));
        assertThat(bobHears.get(1).chat().participants()).containsExactlyInAnyOrderElementsOf(after.participants());
        assertThat(carolLeft.get(0).chatId()).isEqualTo(chat.id());
    }

    @Test
    void aChangeTheServerRefusesFailsWithItsCode() throws Exception {
        ChatClient alice = clients.of("alice", server.socketUri());
        ChatClient bob = clients.of("bob", server.socketUri());
        alice.connect().get(10, TimeUnit.SECONDS);
        Chat chat = alice.api().createChat(List.of("bob"), null).get(10, TimeUnit.SECONDS);
        Message message = alice.send(chat.id(), "mine").get(10, TimeUnit.SECONDS);

        assertThatThrownBy(() -> bob.api().editMessage(chat.id(), message.id(), "yours").get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(ChatRefusedException.class)
                .cause().hasFieldOrPropertyWithValue("code", "forbidden");
    }
}
