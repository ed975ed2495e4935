package dev.chatwire.core;

import dev.chatwire.core.spi.ChatPolicy;
import dev.chatwire.core.spi.ChatStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.chatwire.core.EngineFixture.sendFrame;
import static dev.chatwire.core.EngineFixture.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Sends are checked against the membership that the sender's connections on this node keep current, not read from
 * the chat store each time; a removal still refuses them.
 */
class ChatEngineKnownMembershipTest {

    private final EngineFixture fixture = new EngineFixture();
    private final AtomicInteger chatLookups = new AtomicInteger();
    private final ChatStore countingChats = new DelegatingChatStore(fixture.chats) {
        @Override
        public Optional<Chat> find(String chatId) {
            chatLookups.incrementAndGet();
            return super.find(chatId);
        }
    };
    private final ChatEngine engine = fixture.builder().chatStore(countingChats).build();

    @AfterEach
    void close() {
        engine.close();
        fixture.close();
    }

    @Test
    void sendsToAChatTheConnectionHoldsReadNoChatFromTheStore() {
        Chat chat = engine.createChat(user("alice"), List.of("bob"), null);
        FakeConnection alice = EngineFixture.connect(engine, "alice", Map.of());
        chatLookups.set(0);

        for (int i = 0; i < 20; i++) {
            send(alice, chat.id(), "hello " + i, "m" + i);
        }

        assertThat(alice.ofType("ack")).hasSize(20);
        assertThat(fixture.messages.lastSeq(chat.id())).isEqualTo(20);
        assertThat(chatLookups).hasValue(0);
    }

    @Test
    void aMembersFirstSendRecordsItsConsentOnceAndTheNextOnesReadNothing() {
        Chat chat = engine.createChat(user("alice"), List.of("bob"), null);
        FakeConnection bob = EngineFixture.connect(engine, "bob", Map.of());
        chatLookups.set(0);

        for (int i = 0; i < 5; i++) {
            send(bob, chat.id(), "hi " + i, "b" + i);
        }

        assertThat(bob.ofType("ack")).hasSize(5);
        assertThat(fixture.chats.find(chat.id()).orElseThrow().hasAccepted("bob")).isTrue();
        assertThat(chatLookups).hasValue(1);
    }

    @Test
    void aChatJoinedLaterIsReadOnceThenRemembered() {
        FakeConnection alice = EngineFixture.connect(engine, "alice", Map.of());
        Chat chat = engine.createChat(user("alice"), List.of("bob"), null);
        alice.awaitFrame("chat_joined", frame -> frame.path("chatId").asText().equals(chat.id()));
        chatLookups.set(0);

        for (int i = 0; i < 5; i++) {
            send(alice, chat.id(), "later " + i, "l" + i);
        }

        assertThat(alice.ofType("ack")).hasSize(5);
        assertThat(chatLookups).hasValue(1);
    }

    @Test
    void aRemovedUsersSocketSendIsRefusedAndNothingIsStored() {
        Chat chat = engine.createChat(user("alice"), List.of("bob", "carol"), null);
        FakeConnection bob = EngineFixture.connect(engine, "bob", Map.of());
        send(bob, chat.id(), "while a member", "before");

        engine.removeParticipant(user("alice"), chat.id(), "bob");
        sendFrame(bob, sendCommand(chat.id(), "after removal", "after"));

        assertThat(bob.awaitFrame("error").path("code").asText()).isEqualTo("forbidden");
        assertThat(storedTexts(chat)).containsExactly("while a member");
    }

    @Test
    void aRemovalMadeOnAnotherNodeRefusesSendsOnceItsChatLeftArrives() {
        Chat chat = engine.createChat(user("alice"), List.of("bob", "carol"), null);
        FakeConnection bob = EngineFixture.connect(engine, "bob", Map.of());
        send(bob, chat.id(), "while a member", "before");

        fixture.engine.removeParticipant(user("alice"), chat.id(), "bob");
        bob.awaitFrame("chat_left", frame -> frame.path("chatId").asText().equals(chat.id()));
        sendFrame(bob, sendCommand(chat.id(), "after removal", "after"));

        assertThat(bob.awaitFrame("error").path("code").asText()).isEqualTo("forbidden");
        assertThat(storedTexts(chat)).containsExactly("while a member");
    }

    @Test
    void restSendsOfAUserWithASocketHereReadNoChatFromTheStore() {
        Chat chat = engine.createChat(user("alice"), List.of("bob"), null);
        EngineFixture.connect(engine, "alice", Map.of());
        chatLookups.set(0);

        for (int i = 0; i < 10; i++) {
            engine.send(user("alice"), chat.id(), "over rest " + i, "r" + i);
        }

        assertThat(fixture.messages.lastSeq(chat.id())).isEqualTo(10);
        assertThat(chatLookups).hasValue(0);
    }

    @Test
    void restSendsOfAUserWithoutASocketHereReadTheChatEachTime() {
        Chat chat = engine.createChat(user("alice"), List.of("bob"), null);
        EngineFixture.connect(engine, "bob", Map.of());
        chatLookups.set(0);

        for (int i = 0; i < 3; i++) {
            engine.send(user("alice"), chat.id(), "no socket " + i, "n" + i);
        }

        assertThat(chatLookups).hasValue(3);
    }

    @Test
    void aRemovedUsersRestSendIsRefusedAlthoughItsSocketHeldTheChat() {
        Chat chat = engine.createChat(user("alice"), List.of("bob", "carol"), null);
        FakeConnection bob = EngineFixture.connect(engine, "bob", Map.of());
        send(bob, chat.id(), "while a member", "before");

        engine.removeParticipant(user("alice"), chat.id(), "bob");

        assertThatThrownBy(() -> engine.send(user("bob"), chat.id(), "after removal", "after"))
                .isInstanceOfSatisfying(ChatException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
        assertThat(storedTexts(chat)).containsExactly("while a member");
    }

    @Test
    void aPolicyDecidingOnRolesSeesAnAdminDismissedAfterTheSocketReadTheChat() {
        ChatPolicy adminsOnly = new ChatPolicy() {
            @Override
            public Verdict reviewText(String sender, Chat chat, String text) {
                return chat.isOwnedBy(sender) || chat.admins().contains(sender) ? Verdict.allow()
                        : Verdict.refuse("only admins post here");
            }
        };
        try (ChatEngine strict = fixture.builder().chatStore(countingChats).policy(adminsOnly).build()) {
            Chat chat = strict.createChat(user("alice"), List.of("bob"), null);
            strict.setAdmin(user("alice"), chat.id(), "bob", true);
            FakeConnection bob = EngineFixture.connect(strict, "bob", Map.of());
            send(bob, chat.id(), "as an admin", "admin");

            strict.setAdmin(user("alice"), chat.id(), "bob", false);
            bob.awaitFrame("chat_updated", frame -> frame.path("change").asText().equals("admin_removed"));
            sendFrame(bob, sendCommand(chat.id(), "no longer", "demoted"));

            assertThat(bob.awaitFrame("error").path("message").asText()).isEqualTo("only admins post here");
            assertThat(storedTexts(chat)).containsExactly("as an admin");
        }
    }

    private List<String> storedTexts(Chat chat) {
        return fixture.messages.after(chat.id(), 0, 100).stream().map(Message::text).toList();
    }

    private static void send(FakeConnection connection, String chatId, String text, String clientMessageId) {
        int acks = connection.ofType("ack").size();
        sendFrame(connection, sendCommand(chatId, text, clientMessageId));
        connection.awaitFrame("ack", frame -> connection.ofType("ack").size() > acks
                && frame.path("clientMessageId").asText().equals(clientMessageId));
    }

    private static String sendCommand(String chatId, String text, String clientMessageId) {
        return "{\"type\":\"send\",\"chatId\":\"" + chatId + "\",\"text\":\"" + text + "\",\"clientMessageId\":\""
                + clientMessageId + "\"}";
    }
}
