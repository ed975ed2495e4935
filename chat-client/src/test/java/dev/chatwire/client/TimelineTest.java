package dev.chatwire.client;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TimelineTest {

    private final InMemoryResumeStorage storage = new InMemoryResumeStorage();
    private final Timeline timeline = new Timeline(storage);

    @Test
    void aMessageAtOrBelowItsChatsLastSeqIsADuplicate() {
        assertThat(timeline.accept(message("m1", "c1", 1))).isTrue();
        assertThat(timeline.accept(message("m2", "c1", 2))).isTrue();

        assertThat(timeline.accept(message("m2", "c1", 2))).isFalse();
        assertThat(timeline.accept(message("m1", "c1", 1))).isFalse();
        assertThat(storage.load()).isEqualTo(Map.of("c1", 2L));
    }

    @Test
    void aChangeIsAnEntryAtItsOwnSeqAndAReplayedOneIsADuplicate() {
        Message first = message("m1", "c1", 1);
        timeline.accept(first);

        assertThat(timeline.accept(new MessageUpdate("c1", 2, first))).isTrue();
        assertThat(timeline.accept(new MessageUpdate("c1", 2, first))).isFalse();
        assertThat(timeline.accept(message("m3", "c1", 3))).isTrue();
        assertThat(timeline.accept(new MessageUpdate("c1", 2, first))).isFalse();
        assertThat(storage.load()).isEqualTo(Map.of("c1", 3L));
    }

    @Test
    void aMessageWithAnIdAlreadySeenIsADuplicateEvenUnderAnotherSeq() {
        timeline.accept(message("m1", "c1", 1));

        assertThat(timeline.accept(message("m1", "c1", 5))).isFalse();
        assertThat(storage.load()).isEqualTo(Map.of("c1", 1L));
    }

    @Test
    void seqsAreKeptPerChatAndMayJump() {
        assertThat(timeline.accept(message("a", "c1", 7))).isTrue();
        assertThat(timeline.accept(message("b", "c2", 1))).isTrue();
        assertThat(timeline.accept(message("c", "c1", 9))).isTrue();

        assertThat(timeline.resume()).isEqualTo(Map.of("c1", 9L, "c2", 1L));
    }

    @Test
    void resumeStartsFromWhatTheStorageHeldBeforeTheClientStarted() {
        storage.save("c1", 41);
        Timeline restarted = new Timeline(storage);

        assertThat(restarted.resume()).isEqualTo(Map.of("c1", 41L));
        assertThat(restarted.accept(message("old", "c1", 41))).isFalse();
        assertThat(restarted.accept(message("new", "c1", 42))).isTrue();
    }

    @Test
    void connectedStartsUnknownChatsWhereLiveTrafficStartsAndForgetsChatsTheUserLeft() {
        storage.save("gone", 3);
        storage.save("kept", 10);
        Timeline restarted = new Timeline(storage);

        restarted.connected(List.of("kept", "new"), Map.of("kept", 12L, "new", 57L));

        // "kept" resumes from what was delivered, not from the server's newest seq: 11 and 12 are still to come.
        assertThat(restarted.resume()).isEqualTo(Map.of("kept", 10L, "new", 57L));
        assertThat(storage.load()).isEqualTo(Map.of("kept", 10L, "new", 57L));
    }

    @Test
    void joiningAChatStartsItAtTheJoinSeqAndLeavingForgetsIt() {
        timeline.joined("c1", 4);
        assertThat(timeline.accept(message("m4", "c1", 4))).isFalse();
        assertThat(timeline.accept(message("m5", "c1", 5))).isTrue();

        timeline.left("c1");

        assertThat(timeline.resume()).isEmpty();
        assertThat(storage.load()).isEmpty();
    }

    static Message message(String id, String chatId, long seq) {
        return new Message(id, chatId, seq, "alice", "text", "text of " + id, null, null, Instant.EPOCH);
    }
}
