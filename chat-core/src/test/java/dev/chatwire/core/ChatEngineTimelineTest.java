package dev.chatwire.core;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;

import static dev.chatwire.core.EngineFixture.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Edits, deletes and reactions: entries of the chat's timeline, live, on resume and in history. */
class ChatEngineTimelineTest {

    private final EngineFixture fixture = new EngineFixture(ChatLimits.defaults().toBuilder()
            .maxReactionsPerMessage(2).build());
    private final ChatEngine engine = fixture.engine;

    @AfterEach
    void close() {
        fixture.close();
    }

    private static void assertRefused(Runnable request, ErrorCode code) {
        assertThatThrownBy(request::run).isInstanceOfSatisfying(ChatException.class,
                e -> assertThat(e.code()).isEqualTo(code));
    }

    private static List<Long> updateSeqs(FakeConnection connection) {
        return connection.ofType("message_updated").stream().map(frame -> frame.path("seq").asLong()).toList();
    }

    @Test
    void eachChangeReachesLiveSocketsAsMessageUpdatedAtItsOwnSeq() {
        Chat chat = fixture.chat("alice", "bob");
        FakeConnection bob = fixture.connect("bob");
        Message message = engine.send(user("alice"), chat.id(), "helo", null);

        TimelineEntry edit = engine.editMessage(user("alice"), chat.id(), message.id(), "hello");
        TimelineEntry reaction = engine.react(user("bob"), chat.id(), message.id(), "👍", true);
        TimelineEntry delete = engine.deleteMessage(user("alice"), chat.id(), message.id());

        assertThat(List.of(edit.seq(), reaction.seq(), delete.seq())).containsExactly(2L, 3L, 4L);
        await().until(() -> updateSeqs(bob).size() == 3);
        List<JsonNode> updates = bob.ofType("message_updated");
        assertThat(updateSeqs(bob)).containsExactly(2L, 3L, 4L);
        assertThat(updates.get(0).path("message").path("seq").asLong()).isEqualTo(1);
        assertThat(updates.get(0).path("message").path("text").asText()).isEqualTo("hello");
        assertThat(updates.get(0).path("message").has("editedAt")).isTrue();
        assertThat(updates.get(1).path("message").path("reactions").path("👍").get(0).asText()).isEqualTo("bob");
        assertThat(updates.get(2).path("message").path("deleted").asBoolean()).isTrue();
        assertThat(updates.get(2).path("message").has("text")).isFalse();
        assertThat(bob.messageSeqs(chat.id())).containsExactly(1L);
    }

    @Test
    void aSocketCommandIsAnsweredWithAnAckCarryingTheNewState() {
        Chat chat = fixture.chat("alice", "bob");
        FakeConnection alice = fixture.connect("alice");
        Message message = engine.send(user("alice"), chat.id(), "first", null);

        EngineFixture.sendFrame(alice, "{\"type\":\"edit\",\"chatId\":\"" + chat.id() + "\",\"messageId\":\""
                + message.id() + "\",\"text\":\"second\",\"clientMessageId\":\"e-1\"}");
        EngineFixture.sendFrame(alice, "{\"type\":\"react\",\"chatId\":\"" + chat.id() + "\",\"messageId\":\""
                + message.id() + "\",\"emoji\":\"🎉\"}");
        EngineFixture.sendFrame(alice, "{\"type\":\"edit\",\"chatId\":\"" + chat.id() + "\",\"messageId\":\"nope\""
                + ",\"text\":\"x\",\"clientMessageId\":\"e-2\"}");

        JsonNode edited = alice.awaitFrame("ack", frame -> "e-1".equals(frame.path("clientMessageId").asText()));
        assertThat(edited.path("message").path("text").asText()).isEqualTo("second");
        JsonNode error = alice.awaitFrame("error", frame -> "e-2".equals(frame.path("clientMessageId").asText()));
        assertThat(error.path("code").asText()).isEqualTo("not_found");
        await().until(() -> alice.ofType("ack").stream()
                .anyMatch(frame -> frame.path("message").path("reactions").has("🎉")));
    }

    @Test
    void changesMadeWhileAClientWasAwayReachItOnResumeInSeqOrderOnce() {
        Chat chat = fixture.chat("alice", "bob");
        Message first = engine.send(user("alice"), chat.id(), "one", null);
        Message second = engine.send(user("bob"), chat.id(), "two", null);
        engine.editMessage(user("alice"), chat.id(), first.id(), "one, edited");
        engine.send(user("alice"), chat.id(), "three", null);
        engine.react(user("alice"), chat.id(), second.id(), "👍", true);
        engine.deleteMessage(user("bob"), chat.id(), second.id());

        FakeConnection bob = EngineFixture.connect(engine, "bob", Map.of(chat.id(), second.seq()));

        await().until(() -> bob.ofType("message_updated").size() + bob.messageSeqs(chat.id()).size() == 4);
        fixture.awaitIdle();
        List<Long> timeline = bob.received.stream()
                .filter(frame -> frame.path("type").asText().matches("new_message|message_updated"))
                .map(frame -> frame.has("seq") ? frame.path("seq").asLong()
                        : frame.path("message").path("seq").asLong())
                .toList();
        assertThat(timeline).containsExactly(3L, 4L, 5L, 6L);
        assertThat(updateSeqs(bob)).containsExactly(3L, 5L, 6L);
        assertThat(bob.ofType("message_updated").get(2).path("message").path("deleted").asBoolean()).isTrue();
    }

    @Test
    void historyShowsMessagesInTheirCurrentStateWithoutTheChanges() {
        Chat chat = fixture.chat("alice", "bob");
        Message first = engine.send(user("alice"), chat.id(), "one", null);
        Message second = engine.send(user("bob"), chat.id(), "two", null);
        engine.editMessage(user("alice"), chat.id(), first.id(), "one, edited");
        engine.deleteMessage(user("bob"), chat.id(), second.id());

        List<Message> history = engine.history(user("bob"), chat.id(), HistoryQuery.newest());

        assertThat(history).extracting(Message::seq).containsExactly(1L, 2L);
        assertThat(history.get(0).text()).isEqualTo("one, edited");
        assertThat(history.get(1).deleted()).isTrue();
    }

    @Test
    void onlyTheSenderEditsOrDeletesAndAnyParticipantReacts() {
        Chat chat = fixture.chat("alice", "bob");
        fixture.chat("mallory");
        Message message = engine.send(user("alice"), chat.id(), "mine", null);

        assertRefused(() -> engine.editMessage(user("bob"), chat.id(), message.id(), "yours"), ErrorCode.FORBIDDEN);
        assertRefused(() -> engine.deleteMessage(user("bob"), chat.id(), message.id()), ErrorCode.FORBIDDEN);
        assertRefused(() -> engine.react(user("mallory"), chat.id(), message.id(), "👍", true),
                ErrorCode.FORBIDDEN);
        engine.react(user("bob"), chat.id(), message.id(), "👍", true);

        assertThat(fixture.messages.find(chat.id(), message.id()).orElseThrow().text()).isEqualTo("mine");
        assertThat(fixture.messages.lastSeq(chat.id())).isEqualTo(2);
    }

    @Test
    void aDeletedMessageCannotBeChangedAndItsFileIsGone() {
        Chat chat = fixture.chat("alice", "bob");
        byte[] png = java.util.Base64.getDecoder().decode(
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");
        Message image = engine.send(user("alice"), chat.id(), null, null,
                List.of(new Upload("dot.png", new ByteArrayInputStream(png)))).get(0);
        String mediaId = image.attachment().mediaId();

        engine.deleteMessage(user("alice"), chat.id(), image.id());

        assertThat(fixture.media.find(mediaId)).isEmpty();
        assertRefused(() -> engine.editMessage(user("alice"), chat.id(), image.id(), "caption"), ErrorCode.INVALID);
        assertRefused(() -> engine.react(user("bob"), chat.id(), image.id(), "👍", true), ErrorCode.INVALID);
        assertRefused(() -> engine.deleteMessage(user("alice"), chat.id(), image.id()), ErrorCode.INVALID);
        assertThat(fixture.messages.lastSeq(chat.id())).isEqualTo(2);
    }

    @Test
    void reactionsAreLimitedInKindAndShape() {
        Chat chat = fixture.chat("alice", "bob");
        Message message = engine.send(user("alice"), chat.id(), "react", null);
        engine.react(user("bob"), chat.id(), message.id(), "👍", true);
        engine.react(user("alice"), chat.id(), message.id(), "👨‍👩‍👧‍👦", true);

        assertRefused(() -> engine.react(user("bob"), chat.id(), message.id(), "🎉", true), ErrorCode.TOO_LARGE);
        engine.react(user("bob"), chat.id(), message.id(), "👨‍👩‍👧‍👦", true);
        for (String notAnEmoji : List.of("ok", "👍 ", "", "$", "👍👍👍👍👍👍👍👍👍👍👍", "\u202E👍")) {
            assertRefused(() -> engine.react(user("bob"), chat.id(), message.id(), notAnEmoji, true),
                    ErrorCode.INVALID);
        }
        Message current = fixture.messages.find(chat.id(), message.id()).orElseThrow();
        assertThat(current.reactions()).containsOnlyKeys("👍", "👨‍👩‍👧‍👦");
        assertThat(current.reactions().get("👨‍👩‍👧‍👦")).containsExactly("alice", "bob");
    }
}
