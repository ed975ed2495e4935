package dev.chatwire.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chatwire.core.spi.ChatPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.chatwire.core.EngineFixture.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * History from join ({@link ChatPolicy#historyFromJoin}): a participant added after a chat's creation reads only what
 * came after its joining, in history, replays, changes, files and the chat list; with the option off, everything.
 */
class ChatEngineHistoryFromJoinTest {

    private static final ChatPolicy FROM_JOIN = new ChatPolicy() {
        @Override
        public boolean historyFromJoin(Chat chat) {
            return true;
        }
    };

    private final EngineFixture fixture = new EngineFixture();
    /** Shares the fixture's stores; hides history from late joiners. */
    private final ChatEngine fromJoin = fixture.builder().policy(FROM_JOIN).build();
    /** Shares them too, with the default policy: everyone sees everything. */
    private final ChatEngine allHistory = fixture.engine;

    @AfterEach
    void close() {
        fromJoin.close();
        fixture.close();
    }

    /** A chat of alice and bob with three messages (seqs 1 to 3), then carol added by alice (join seq 3). */
    private Chat chatWithCarolAddedAtSeq3() {
        Chat chat = fromJoin.createChat(user("alice"), Set.of("bob"), "team");
        for (int i = 1; i <= 3; i++) {
            fromJoin.send(user("alice"), chat.id(), "before " + i, null);
        }
        Chat updated = fromJoin.addParticipant(user("alice"), chat.id(), "carol");
        assertThat(updated.joinSeqOf("carol")).isEqualTo(3);
        return updated;
    }

    private static List<Long> seqs(List<Message> messages) {
        return messages.stream().map(Message::seq).toList();
    }

    private static List<Long> updatedMessageSeqs(FakeConnection connection) {
        return connection.ofType("message_updated").stream()
                .map(frame -> frame.path("message").path("seq").asLong()).toList();
    }

    @Test
    void aLateJoinerReadsHistoryOnlyFromItsJoiningWhileTheFirstParticipantsReadItAll() {
        Chat chat = chatWithCarolAddedAtSeq3();
        fromJoin.send(user("alice"), chat.id(), "after 1", null);
        fromJoin.send(user("bob"), chat.id(), "after 2", null);

        assertThat(seqs(fromJoin.history(user("carol"), chat.id(), HistoryQuery.newest()))).containsExactly(4L, 5L);
        assertThat(seqs(fromJoin.history(user("carol"), chat.id(), HistoryQuery.after(0)))).containsExactly(4L, 5L);
        assertThat(seqs(fromJoin.history(user("carol"), chat.id(), HistoryQuery.before(5)))).containsExactly(4L);
        assertThat(fromJoin.history(user("carol"), chat.id(), HistoryQuery.before(4))).isEmpty();
        assertThat(seqs(fromJoin.history(user("bob"), chat.id(), HistoryQuery.newest())))
                .containsExactly(1L, 2L, 3L, 4L, 5L);

        assertThat(seqs(allHistory.history(user("carol"), chat.id(), HistoryQuery.newest())))
                .containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void aLateJoinerResumingFromZeroIsReplayedOnlyWhatFollowsItsJoiningAndCountsOnlyThatAsUnread() {
        Chat chat = chatWithCarolAddedAtSeq3();
        fromJoin.send(user("alice"), chat.id(), "after 1", null);
        fromJoin.send(user("alice"), chat.id(), "after 2", null);

        FakeConnection carol = EngineFixture.connect(fromJoin, "carol", Map.of(chat.id(), 0L));
        fromJoin.send(user("alice"), chat.id(), "live", null);

        carol.awaitFrame("new_message", frame -> frame.path("message").path("seq").asLong() == 6);
        assertThat(carol.messageSeqs(chat.id())).containsExactly(4L, 5L, 6L);
        assertThat(carol.ofType("connected").get(0).path("unread").path(chat.id()).asLong()).isEqualTo(2);
    }

    @Test
    void withTheOptionOffALateJoinerResumingFromZeroIsReplayedEverything() {
        Chat chat = chatWithCarolAddedAtSeq3();
        fromJoin.send(user("alice"), chat.id(), "after 1", null);

        FakeConnection carol = EngineFixture.connect(allHistory, "carol", Map.of(chat.id(), 0L));

        carol.awaitFrame("new_message", frame -> frame.path("message").path("seq").asLong() == 4);
        assertThat(carol.messageSeqs(chat.id())).containsExactly(1L, 2L, 3L, 4L);
        assertThat(carol.ofType("connected").get(0).path("unread").path(chat.id()).asLong()).isEqualTo(4);
    }

    @Test
    void aResumeCommandOnAnOpenSocketDoesNotReachBehindTheJoining() {
        Chat chat = chatWithCarolAddedAtSeq3();
        fromJoin.send(user("alice"), chat.id(), "after 1", null);
        FakeConnection carol = EngineFixture.connect(fromJoin, "carol", Map.of(chat.id(), 4L));

        EngineFixture.sendFrame(carol,
                "{\"type\":\"connect\",\"token\":\"valid:carol\",\"resume\":{\"" + chat.id() + "\":0}}");
        fromJoin.send(user("alice"), chat.id(), "live", null);

        carol.awaitFrame("new_message", frame -> frame.path("message").path("seq").asLong() == 5);
        fixture.awaitIdle();
        // Resumed from 0, the socket is sent again what it may see, from its joining on: 4, then the live 5.
        assertThat(carol.messageSeqs(chat.id())).containsExactly(4L, 5L);
    }

    @Test
    void changesToMessagesFromBeforeTheJoiningReachNeitherTheLiveSocketNorAReplay() {
        Chat chat = fromJoin.createChat(user("alice"), Set.of("bob"), "team");
        Message old = fromJoin.send(user("alice"), chat.id(), "old secret", null);
        FakeConnection liveCarol = EngineFixture.connect(fromJoin, "carol", Map.of());
        fromJoin.addParticipant(user("alice"), chat.id(), "carol");
        JsonNode joined = liveCarol.awaitFrame("chat_joined");
        Message recent = fromJoin.send(user("alice"), chat.id(), "recent", null);

        fromJoin.editMessage(user("alice"), chat.id(), old.id(), "old secret, edited");
        fromJoin.react(user("bob"), chat.id(), old.id(), "👍", true);
        fromJoin.editMessage(user("alice"), chat.id(), recent.id(), "recent, edited");
        fromJoin.send(user("alice"), chat.id(), "last", null);

        liveCarol.awaitFrame("new_message", frame -> frame.path("message").path("seq").asLong() == 6);
        assertThat(joined.path("historyAfter").asLong()).isEqualTo(1);
        assertThat(updatedMessageSeqs(liveCarol)).containsExactly(recent.seq());
        assertThat(liveCarol.messageSeqs(chat.id())).containsExactly(2L, 6L);
        assertThat(liveCarol.received.toString()).doesNotContain("old secret");

        FakeConnection resumed = EngineFixture.connect(fromJoin, "carol", Map.of(chat.id(), 0L));
        resumed.awaitFrame("new_message", frame -> frame.path("message").path("seq").asLong() == 6);
        assertThat(updatedMessageSeqs(resumed)).containsExactly(recent.seq());
        assertThat(resumed.received.toString()).doesNotContain("old secret");

        FakeConnection everything = EngineFixture.connect(allHistory, "carol", Map.of(chat.id(), 0L));
        everything.awaitFrame("new_message", frame -> frame.path("message").path("seq").asLong() == 6);
        assertThat(updatedMessageSeqs(everything)).containsExactly(old.seq(), old.seq(), recent.seq());
    }

    @Test
    void aLateJoinerCannotChangeAMessageFromBeforeItsJoining() {
        Chat chat = fromJoin.createChat(user("alice"), Set.of("bob"), "team");
        Message old = fromJoin.send(user("alice"), chat.id(), "old", null);
        fromJoin.addParticipant(user("alice"), chat.id(), "carol");

        assertThatThrownBy(() -> fromJoin.react(user("carol"), chat.id(), old.id(), "👍", true))
                .isInstanceOfSatisfying(ChatException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(allHistory.react(user("carol"), chat.id(), old.id(), "👍", true).message().reactions())
                .containsKey("👍");
    }

    @Test
    void theChatListShowsALateJoinerNeitherAnOlderNewestMessageNorOlderUnreads() {
        Chat chat = chatWithCarolAddedAtSeq3();

        ChatSummary before = fromJoin.chatList(user("carol"), null, 10).chats().get(0);
        assertThat(before.lastMessage()).isNull();
        assertThat(before.unread()).isZero();
        ChatSummary everything = allHistory.chatList(user("carol"), null, 10).chats().get(0);
        assertThat(everything.lastMessage().seq()).isEqualTo(3);
        assertThat(everything.unread()).isEqualTo(3);

        fromJoin.send(user("bob"), chat.id(), "hello carol", null);

        ChatSummary after = fromJoin.chatList(user("carol"), null, 10).chats().get(0);
        assertThat(after.lastMessage().seq()).isEqualTo(4);
        assertThat(after.unread()).isEqualTo(1);
    }

    @Test
    void chatJoinedTellsALateJoinerWhereItsHistoryStartsAndCountsNothingOlder() {
        Chat chat = fromJoin.createChat(user("alice"), Set.of("bob"), "team");
        fromJoin.send(user("alice"), chat.id(), "one", null);
        fromJoin.send(user("alice"), chat.id(), "two", null);
        FakeConnection carol = EngineFixture.connect(fromJoin, "carol", Map.of());
        FakeConnection dave = EngineFixture.connect(allHistory, "dave", Map.of());

        fromJoin.addParticipant(user("alice"), chat.id(), "carol");
        allHistory.addParticipant(user("alice"), chat.id(), "dave");

        JsonNode carolJoined = carol.awaitFrame("chat_joined");
        assertThat(carolJoined.path("historyAfter").asLong()).isEqualTo(2);
        assertThat(carolJoined.path("unread").asLong()).isZero();
        assertThat(carolJoined.path("chat").has("joinSeqs")).isFalse();
        JsonNode daveJoined = dave.awaitFrame("chat_joined");
        assertThat(daveJoined.has("historyAfter")).isFalse();
        assertThat(daveJoined.path("unread").asLong()).isEqualTo(2);
    }

    @Test
    void connectedTellsALateJoinerWhereItsHistoryStartsInEachChatItJoinedLate() {
        Chat joinedLate = chatWithCarolAddedAtSeq3();
        Chat createdWithCarol = fromJoin.createChat(user("alice"), Set.of("carol"), "from the start");
        fromJoin.send(user("alice"), createdWithCarol.id(), "hi", null);

        JsonNode connected = EngineFixture.connect(fromJoin, "carol", Map.of()).ofType("connected").get(0);
        JsonNode everything = EngineFixture.connect(allHistory, "carol", Map.of()).ofType("connected").get(0);

        assertThat(connected.path("historyAfter").path(joinedLate.id()).asLong()).isEqualTo(3);
        assertThat(connected.path("historyAfter").has(createdWithCarol.id())).isFalse();
        assertThat(everything.has("historyAfter")).isFalse();
    }

    @Test
    void aUserRemovedAndAddedAgainReadsFromItsLatestJoining() {
        Chat chat = chatWithCarolAddedAtSeq3();
        fromJoin.send(user("alice"), chat.id(), "while carol is in", null);
        fromJoin.removeParticipant(user("alice"), chat.id(), "carol");
        fromJoin.send(user("alice"), chat.id(), "while carol is out", null);

        fromJoin.addParticipant(user("alice"), chat.id(), "carol");
        fromJoin.send(user("alice"), chat.id(), "carol is back", null);

        assertThat(fromJoin.history(user("carol"), chat.id(), HistoryQuery.newest())).extracting(Message::text)
                .containsExactly("carol is back");
    }

    @Test
    void aJoiningFoundByAResyncAfterLostEventsHidesOlderHistoryToo() {
        ChatEngineResumeTest.LossyBroadcaster lossy = new ChatEngineResumeTest.LossyBroadcaster(fixture.broadcaster);
        try (ChatEngine nodeB = fixture.builder().policy(FROM_JOIN).roomBroadcaster(lossy).build()) {
            Chat chat = fromJoin.createChat(user("alice"), Set.of("bob"), "team");
            Message old = fromJoin.send(user("alice"), chat.id(), "old secret", null);
            FakeConnection carolOnB = EngineFixture.connect(nodeB, "carol", Map.of());

            lossy.dropping = true;
            fromJoin.addParticipant(user("alice"), chat.id(), "carol");
            lossy.dropping = false;
            lossy.signalGap();
            JsonNode joined = carolOnB.awaitFrame("chat_joined");
            fromJoin.editMessage(user("alice"), chat.id(), old.id(), "old secret, edited");
            fromJoin.send(user("alice"), chat.id(), "new", null);

            carolOnB.awaitFrame("new_message", frame -> frame.path("message").path("seq").asLong() == 3);
            assertThat(joined.path("historyAfter").asLong()).isEqualTo(1);
            assertThat(carolOnB.ofType("message_updated")).isEmpty();
            assertThat(carolOnB.received.toString()).doesNotContain("old secret");
        }
    }

    @Test
    void aLateJoinerCannotOpenTheFileOfAMessageFromBeforeItsJoiningAndCannotTellItExists() throws IOException {
        Chat chat = fromJoin.createChat(user("alice"), Set.of("bob"), "team");
        Message old = sendFile(chat, "alice", "old.png");
        fromJoin.addParticipant(user("alice"), chat.id(), "carol");
        Message recent = sendFile(chat, "bob", "recent.png");

        ChatException hidden = catchThrowableOfType(ChatException.class,
                () -> fromJoin.openMedia(user("carol"), old.attachment().mediaId()));
        ChatException stranger = catchThrowableOfType(ChatException.class,
                () -> fromJoin.openMedia(user("eve"), old.attachment().mediaId()));
        assertThat(hidden).as("carol's refusal").isNotNull();
        assertThat(hidden.code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(hidden.getMessage()).isEqualTo(stranger.getMessage());
        try (InputStream content = fromJoin.openMedia(user("carol"), recent.attachment().mediaId()).content()) {
            assertThat(content.readAllBytes()).isEqualTo(ChatEngineUploadTest.png());
        }
        fromJoin.openMedia(user("bob"), old.attachment().mediaId()).content().close();
        allHistory.openMedia(user("carol"), old.attachment().mediaId()).content().close();
    }

    private Message sendFile(Chat chat, String sender, String name) throws IOException {
        Upload file = new Upload(name, new ByteArrayInputStream(ChatEngineUploadTest.png()));
        return fromJoin.send(user(sender), chat.id(), null, null, List.of(file)).get(0);
    }
}
