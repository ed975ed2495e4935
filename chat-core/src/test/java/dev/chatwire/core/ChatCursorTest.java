package dev.chatwire.core;

import dev.chatwire.core.spi.RoomEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** One cursor fed by hand: live events and store pages in the orders that nodes and stores can produce. */
class ChatCursorTest {

    private static final String CHAT = "chat-1";

    private final EngineFixture fixture = new EngineFixture(ChatLimits.defaults());
    private final FakeConnection connection = new FakeConnection();
    private final Session session = new Session("connection-1", fixture.engine, connection);

    @AfterEach
    void close() {
        fixture.close();
    }

    private static RoomEvent live(long seq) {
        return new RoomEvent("new_message", CHAT, seq, frame(seq).frame());
    }

    private static SeqFrame frame(long seq) {
        return new SeqFrame(seq, "{\"type\":\"new_message\",\"message\":{\"chatId\":\"" + CHAT
                + "\",\"seq\":" + seq + "}}");
    }

    private ChatCursor announcedCursorAt(long delivered) {
        ChatCursor cursor = new ChatCursor(CHAT, session, delivered, ChatLimits.defaults().maxPendingEvents());
        cursor.announced();
        return cursor;
    }

    @Test
    void aHeldLiveEventThatAStorePageSkipsGoesOutInItsPlaceInsteadOfBeingDropped() {
        ChatCursor cursor = announcedCursorAt(4);
        cursor.onEvent(live(6));
        cursor.onEvent(live(5));

        // A store that showed 6 before 5 was visible (MessageStore forbids it; the counter-era MongoDB store did it).
        boolean caughtUp = cursor.step(4, List.of(frame(6)), false);

        assertThat(caughtUp).isTrue();
        assertThat(connection.messageSeqs(CHAT)).containsExactly(5L, 6L);
        assertThat(cursor.delivered()).isEqualTo(6);
    }

    @Test
    void liveEventsPastTheStoresNewestSeqWaitForTheStoreInsteadOfJumpingTheMissingOne() {
        ChatCursor cursor = announcedCursorAt(4);
        cursor.onEvent(live(7));

        // The store shows 5 only: 6 may still be being written, so 7 must wait for another look.
        boolean caughtUp = cursor.step(4, List.of(frame(5)), false);

        assertThat(caughtUp).isFalse();
        assertThat(connection.messageSeqs(CHAT)).containsExactly(5L);
        assertThat(cursor.step(5, List.of(frame(6), frame(7)), false)).isTrue();
        assertThat(connection.messageSeqs(CHAT)).containsExactly(5L, 6L, 7L);
    }

    @Test
    void aPageAndHeldEventsCarryingTheSameSeqsSendEachOnce() {
        ChatCursor cursor = announcedCursorAt(0);
        cursor.onEvent(live(1));
        cursor.onEvent(live(2));
        cursor.onEvent(live(3));

        assertThat(cursor.step(0, List.of(frame(1), frame(2)), false)).isTrue();

        assertThat(connection.messageSeqs(CHAT)).containsExactly(1L, 2L, 3L);
        cursor.onEvent(live(3));
        cursor.onEvent(live(4));
        assertThat(connection.messageSeqs(CHAT)).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void aSeqJumpAsksForACatchUpOnceAndHoldingPastTheLimitAsksForAResync() {
        ChatCursor cursor = new ChatCursor(CHAT, session, 0, 2);
        cursor.announced();
        assertThat(cursor.step(0, List.of(), false)).isTrue();

        assertThat(cursor.onEvent(live(1))).isEqualTo(ChatCursor.Next.NOTHING);
        assertThat(cursor.onEvent(live(3))).isEqualTo(ChatCursor.Next.CATCH_UP);
        assertThat(cursor.onEvent(live(4))).isEqualTo(ChatCursor.Next.NOTHING);
        assertThat(cursor.onEvent(live(5))).isEqualTo(ChatCursor.Next.RESYNC);
        assertThat(cursor.startCatchUp()).as("a catch-up is already under way").isFalse();
        assertThat(connection.messageSeqs(CHAT)).containsExactly(1L);
    }
}
