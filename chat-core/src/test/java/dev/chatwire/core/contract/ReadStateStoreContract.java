package dev.chatwire.core.contract;

import dev.chatwire.core.spi.ReadStateStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** The behaviour every {@link ReadStateStore} must have. Extend it and return a fresh, isolated store. */
public abstract class ReadStateStoreContract {

    /** A new store that shares no data with any other test's store. */
    protected abstract ReadStateStore newStore();

    /** A second instance over the same backing data, as another node would create it; {@code store} by default. */
    protected ReadStateStore sameDataOnAnotherNode(ReadStateStore store) {
        return store;
    }

    private ReadStateStore store;
    private String chat;

    @BeforeEach
    void freshStore() {
        store = newStore();
        chat = UUID.randomUUID().toString();
    }

    @Test
    void aMarkIsKeptPerChatAndUser() {
        String other = UUID.randomUUID().toString();
        assertThat(store.markRead(chat, "alice", 5)).isEqualTo(5);
        store.markRead(chat, "bob", 3);
        store.markRead(other, "alice", 9);

        assertThat(store.readSeqs(List.of(chat, other)))
                .containsOnly(entry(chat, Map.of("alice", 5L, "bob", 3L)), entry(other, Map.of("alice", 9L)));
    }

    @Test
    void aMarkNeverMovesBack() {
        store.markRead(chat, "alice", 7);

        assertThat(store.markRead(chat, "alice", 4)).isEqualTo(7);
        assertThat(store.markRead(chat, "alice", 8)).isEqualTo(8);
        assertThat(store.readSeqs(List.of(chat)).get(chat)).containsOnly(entry("alice", 8L));
    }

    @Test
    void aChatNobodyReadAnswersAnEmptyMap() {
        String unread = UUID.randomUUID().toString();
        assertThat(store.readSeqs(List.of(unread))).containsOnly(entry(unread, Map.of()));
        assertThat(store.readSeqs(List.of())).isEmpty();
    }

    @Test
    void twoDevicesOnTwoNodesMarkingAtOnceEndWithTheHighestMark() throws Exception {
        ReadStateStore otherNode = sameDataOnAnotherNode(store);
        List<Callable<Long>> marks = new ArrayList<>();
        for (long seq = 1; seq <= 200; seq++) {
            long mark = seq;
            ReadStateStore node = seq % 2 == 0 ? store : otherNode;
            marks.add(() -> node.markRead(chat, "alice", mark));
        }
        Collections.shuffle(marks);
        ExecutorService devices = Executors.newFixedThreadPool(2);
        try {
            devices.invokeAll(marks, 60, TimeUnit.SECONDS).forEach(result -> assertThat(result).isDone());
        } finally {
            devices.shutdownNow();
        }

        assertThat(store.readSeqs(List.of(chat)).get(chat)).containsOnly(entry("alice", 200L));
        assertThat(otherNode.markRead(chat, "alice", 1)).isEqualTo(200);
    }
}
