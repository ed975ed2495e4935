package dev.chatwire.core;

import dev.chatwire.core.spi.ChatPolicy;
import dev.chatwire.core.spi.TimelineListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.chatwire.core.EngineFixture.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The host's hooks: the timeline listener and the policy. */
class ChatEngineHooksTest {

    private final EngineFixture fixture = new EngineFixture();
    private final List<TimelineListener.Stored> heard = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        fixture.close();
    }

    private static void assertForbidden(Runnable request, String reason) {
        assertThatThrownBy(request::run).isInstanceOfSatisfying(ChatException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(e.getMessage()).contains(reason);
        });
    }

    @Test
    void theListenerHearsEveryStoredMessageAndChangeWithTheOfflineParticipants() {
        ChatEngine engine = fixture.builder().timelineListener(heard::add).build();
        Chat chat = engine.createChat(user("alice"), List.of("bob", "carol"), null);
        EngineFixture.connect(engine, "bob", java.util.Map.of());

        Message message = engine.send(user("alice"), chat.id(), "hello", "c-1");
        engine.send(user("alice"), chat.id(), "hello", "c-1");
        engine.react(user("bob"), chat.id(), message.id(), "👍", true);
        // Heard on the executor: settled before the engine closes, which would take bob offline under the listener.
        fixture.awaitIdle();
        engine.close();

        assertThat(heard).hasSize(2);
        TimelineListener.Stored stored = heard.stream().filter(h -> !h.entry().isChange()).findFirst().orElseThrow();
        assertThat(stored.entry().message().id()).isEqualTo(message.id());
        assertThat(stored.chat().id()).isEqualTo(chat.id());
        assertThat(stored.offline()).containsExactly("carol");
        TimelineListener.Stored change = heard.stream().filter(h -> h.entry().isChange()).findFirst().orElseThrow();
        assertThat(change.entry().seq()).isEqualTo(2);
        assertThat(change.offline()).containsExactlyInAnyOrder("alice", "carol");
    }

    @Test
    void aThrowingListenerChangesNothingForTheChat() {
        ChatEngine engine = fixture.builder().timelineListener(stored -> {
            throw new IllegalStateException("push service down");
        }).build();
        Chat chat = engine.createChat(user("alice"), List.of("bob"), null);
        FakeConnection bob = EngineFixture.connect(engine, "bob", java.util.Map.of());

        for (int i = 0; i < 5; i++) {
            engine.send(user("alice"), chat.id(), "m" + i, null);
        }

        await().until(() -> bob.messageSeqs(chat.id()).size() == 5);
        fixture.awaitIdle();
        assertThat(bob.messageSeqs(chat.id())).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(fixture.messages.lastSeq(chat.id())).isEqualTo(5);
        assertThat(bob.closeCode).isNull();
        engine.close();
    }

    @Test
    void aPolicyThatRefusesAddingParticipantsRefusesAndNothingChanges() {
        ChatEngine engine = fixture.builder().policy(new ChatPolicy() {
            @Override
            public Verdict mayAddParticipant(String actor, Chat chat, String userId) {
                return Verdict.refuse("invitations are closed");
            }
        }).build();
        Chat chat = engine.createChat(user("alice"), List.of("bob"), null);

        assertForbidden(() -> engine.addParticipant(user("alice"), chat.id(), "carol"), "invitations are closed");

        assertThat(fixture.chats.find(chat.id()).orElseThrow().participants())
                .containsExactlyInAnyOrder("alice", "bob");
        engine.close();
    }

    @Test
    void aPolicyThatRefusesCreatingChatsStoresNoChat() {
        ChatEngine engine = fixture.builder().policy(new ChatPolicy() {
            @Override
            public Verdict mayCreateChat(String creator, Set<String> participants, String name) {
                return participants.size() > 2 ? Verdict.refuse("direct chats only") : Verdict.allow();
            }
        }).build();

        assertForbidden(() -> engine.createChat(user("bob"), List.of("carol", "dave"), null), "direct chats only");
        engine.createChat(user("bob"), List.of("carol"), null);

        assertThat(fixture.chats.chatsOf("bob")).hasSize(1);
        engine.close();
    }

    @Test
    void aPolicyModeratesTextAndWidensWhoMayDelete() {
        ChatEngine engine = fixture.builder().policy(new ChatPolicy() {
            @Override
            public Verdict reviewText(String sender, Chat chat, String text) {
                if (text.contains("spam")) {
                    return Verdict.refuse("no spam here");
                }
                return text.contains("darn") ? Verdict.replaceText(text.replace("darn", "****")) : Verdict.allow();
            }

            @Override
            public Verdict mayChangeMessage(String actor, Chat chat, Message message, MessageChange change) {
                return chat.isOwnedBy(actor) ? Verdict.allow()
                        : ChatPolicy.DEFAULT.mayChangeMessage(actor, chat, message, change);
            }
        }).build();
        Chat chat = engine.createChat(user("alice"), List.of("bob"), null);

        assertForbidden(() -> engine.send(user("bob"), chat.id(), "buy spam", null), "no spam here");
        Message replaced = engine.send(user("bob"), chat.id(), "darn it", null);
        engine.deleteMessage(user("alice"), chat.id(), replaced.id());

        assertThat(replaced.text()).isEqualTo("**** it");
        assertThat(fixture.messages.find(chat.id(), replaced.id()).orElseThrow().deleted()).isTrue();
        assertThat(fixture.messages.lastSeq(chat.id())).isEqualTo(2);
        engine.close();
    }
}
