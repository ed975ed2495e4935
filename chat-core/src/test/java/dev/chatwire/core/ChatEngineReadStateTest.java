package dev.chatwire.core;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.chatwire.core.EngineFixture.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Read seqs are stored; unread counts, "seen by" and who is online come with {@code connected} and the chat list. */
class ChatEngineReadStateTest {

    private final EngineFixture fixture = new EngineFixture();
    private final ChatEngine engine = fixture.engine;

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void aReadSeqIsStoredNeverMovesBackAndNeverPassesTheNewestSeq() {
        Chat chat = fixture.chat("alice", "bob");
        for (int i = 0; i < 5; i++) {
            engine.send(user("alice"), chat.id(), "m" + i, null);
        }

        assertThat(engine.markRead(user("bob"), chat.id(), 3)).isEqualTo(3);
        assertThat(engine.markRead(user("bob"), chat.id(), 2)).isEqualTo(3);
        assertThat(engine.markRead(user("bob"), chat.id(), 1_000)).isEqualTo(5);
        engine.send(user("alice"), chat.id(), "after the read", null);

        JsonNode connected = fixture.connect("bob").awaitFrame("connected");
        assertThat(connected.path("lastRead").path(chat.id()).asLong()).isEqualTo(5);
        assertThat(connected.path("unread").path(chat.id()).asLong()).isEqualTo(1);
    }

    @Test
    void aSocketsReadReceiptIsCappedAtWhatItsConnectionWasSent() {
        Chat chat = fixture.chat("alice", "bob");
        FakeConnection bob = fixture.connect("bob");
        engine.send(user("alice"), chat.id(), "one", null);
        engine.send(user("alice"), chat.id(), "two", null);
        bob.awaitFrame("new_message", frame -> frame.path("message").path("seq").asLong() == 2);

        EngineFixture.sendFrame(bob, "{\"type\":\"read\",\"chatId\":\"" + chat.id() + "\",\"seq\":1000}");
        fixture.awaitIdle();

        await().until(() -> fixture.readStates.readSeqs(List.of(chat.id())).get(chat.id()).containsKey("bob"));
        assertThat(fixture.readStates.readSeqs(List.of(chat.id())).get(chat.id())).containsEntry("bob", 2L);
        engine.send(user("alice"), chat.id(), "three", null);
        assertThat(fixture.connect("bob").awaitFrame("connected").path("unread").path(chat.id()).asLong())
                .isEqualTo(1);
    }

    @Test
    void connectedCarriesUnreadCountsThatLeaveOutOwnAndDeletedMessagesAndAgreeBetweenDevices() {
        Chat chat = fixture.chat("alice", "bob");
        Chat quiet = fixture.chat("bob", "carol");
        engine.send(user("bob"), chat.id(), "mine", null);
        Message deleted = engine.send(user("alice"), chat.id(), "oops", null);
        engine.send(user("alice"), chat.id(), "one", null);
        engine.send(user("alice"), chat.id(), "two", null);
        engine.deleteMessage(user("alice"), chat.id(), deleted.id());

        FakeConnection phone = fixture.connect("bob");
        JsonNode before = phone.awaitFrame("connected");
        EngineFixture.sendFrame(phone, "{\"type\":\"read\",\"chatId\":\"" + chat.id() + "\",\"seq\":3}");
        fixture.awaitIdle();
        FakeConnection laptop = fixture.connect("bob");
        JsonNode after = laptop.awaitFrame("connected");

        assertThat(before.path("unread").path(chat.id()).asLong()).isEqualTo(2);
        assertThat(before.path("unread").path(quiet.id()).asLong()).isZero();
        assertThat(before.path("lastRead").path(chat.id()).asLong()).isZero();
        assertThat(after.path("lastRead").path(chat.id()).asLong()).isEqualTo(3);
        assertThat(after.path("unread").path(chat.id()).asLong()).isEqualTo(1);
    }

    @Test
    void connectedAndChatJoinedShowTheOthersReadSeqsAndWhoIsOnline() {
        Chat chat = fixture.chat("alice", "bob");
        engine.send(user("bob"), chat.id(), "hi", null);
        engine.markRead(user("bob"), chat.id(), 1);
        fixture.connect("bob");

        JsonNode connected = fixture.connect("alice").awaitFrame("connected");
        assertThat(connected.path("readBy").path(chat.id()).path("bob").asLong()).isEqualTo(1);
        assertThat(connected.path("readBy").path(chat.id()).has("alice")).isFalse();
        assertThat(connected.path("online").path(chat.id()).get(0).asText()).isEqualTo("bob");

        FakeConnection carol = fixture.connect("carol");
        engine.addParticipant(user("alice"), chat.id(), "carol");
        JsonNode joined = carol.awaitFrame("chat_joined");
        assertThat(joined.path("unread").asLong()).isEqualTo(1);
        assertThat(joined.path("lastRead").asLong()).isZero();
        assertThat(joined.path("readBy").path("bob").asLong()).isEqualTo(1);
        assertThat(joined.path("online")).extracting(JsonNode::asText).containsExactlyInAnyOrder("alice", "bob");
    }

    @Test
    void theOnlineSnapshotLeavesOutThoseWhoNeverAcceptedTheChat() {
        Chat chat = fixture.chat("alice", "bob");
        fixture.connect("bob");

        JsonNode connected = fixture.connect("alice").awaitFrame("connected");

        assertThat(connected.path("online").path(chat.id()).isEmpty()).isTrue();
    }

    @Test
    void theChatListIsOrderedByActivityWithTheLastMessageAndPages() {
        ManualScheduler time = new ManualScheduler(Instant.parse("2026-12-04T10:00:00Z"));
        ChatEngine timed = fixture.builder().clock(time.clock()).build();
        Chat older = timed.createChat(user("alice"), List.of("bob"), null);
        Chat newer = timed.createChat(user("alice"), List.of("carol"), null);
        Chat empty = timed.createChat(user("alice"), List.of("dave"), null);
        time.advance(Duration.ofSeconds(1));
        timed.send(user("bob"), older.id(), "first", null);
        time.advance(Duration.ofSeconds(1));
        Message last = timed.send(user("carol"), newer.id(), "second", null);
        time.advance(Duration.ofSeconds(1));
        Message newest = timed.send(user("bob"), older.id(), "third", null);
        timed.editMessage(user("bob"), older.id(), newest.id(), "third, edited");
        timed.markRead(user("alice"), newer.id(), last.seq());

        // The chats' activity is recorded a moment later, off the delivery path.
        await().untilAsserted(() -> assertThat(timed.chatList(user("alice"), null, 3).chats())
                .extracting(summary -> summary.chat().id()).containsExactly(older.id(), newer.id(), empty.id()));
        ChatPage first = timed.chatList(user("alice"), null, 2);
        ChatPage second = timed.chatList(user("alice"), first.nextCursor(), 2);
        timed.close();

        assertThat(first.chats()).extracting(summary -> summary.chat().id()).containsExactly(older.id(), newer.id());
        assertThat(first.chats().get(0).lastMessage().text()).isEqualTo("third, edited");
        assertThat(first.chats().get(0).unread()).isEqualTo(2);
        assertThat(first.chats().get(1).lastMessage().id()).isEqualTo(last.id());
        assertThat(first.chats().get(1).unread()).isZero();
        assertThat(first.chats().get(1).lastRead()).isEqualTo(last.seq());
        assertThat(first.nextCursor()).isNotNull();
        assertThat(second.chats()).extracting(summary -> summary.chat().id()).containsExactly(empty.id());
        assertThat(second.chats().get(0).lastMessage()).isNull();
        assertThat(second.nextCursor()).isNull();
    }
}
