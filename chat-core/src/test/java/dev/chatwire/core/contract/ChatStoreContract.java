package dev.chatwire.core.contract;

import dev.chatwire.core.Chat;
import dev.chatwire.core.spi.ChatStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** The behaviour every {@link ChatStore} must have. Extend it and return a fresh, isolated store. */
public abstract class ChatStoreContract {

    /** A new store that shares no data with any other test's store. */
    protected abstract ChatStore newStore();

    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05.678Z");

    private ChatStore store;

    @BeforeEach
    void freshStore() {
        store = newStore();
    }

    @Test
    void createAssignsAnIdAndKeepsEveryField() {
        Chat chat = store.create(Set.of("alice", "bob"), "Lunch ✓", T0);

        assertThat(chat.id()).isNotBlank();
        assertThat(chat.participants()).containsExactlyInAnyOrder("alice", "bob");
        assertThat(chat.name()).isEqualTo("Lunch ✓");
        assertThat(chat.createdAt()).isEqualTo(T0);
        assertThat(store.find(chat.id())).contains(chat);
    }

    @Test
    void unnamedChatKeepsANullName() {
        Chat chat = store.create(Set.of("alice"), null, T0);
        assertThat(store.find(chat.id()).orElseThrow().name()).isNull();
    }

    @Test
    void everyChatGetsItsOwnId() {
        Chat first = store.create(Set.of("alice"), null, T0);
        Chat second = store.create(Set.of("alice"), null, T0);
        assertThat(first.id()).isNotEqualTo(second.id());
    }

    @Test
    void unknownAndMalformedIdsFindNothing() {
        store.create(Set.of("alice"), null, T0);
        assertThat(store.find("no-such-chat")).isEmpty();
        assertThat(store.find("{\"$gt\":\"\"}")).isEmpty();
        assertThat(store.find("$where")).isEmpty();
        assertThat(store.find("")).isEmpty();
        assertThat(store.addParticipant("no-such-chat", "bob")).isEmpty();
        assertThat(store.removeParticipant("no-such-chat", "bob")).isEmpty();
    }

    @Test
    void chatsOfListsOnlyTheUsersChatsOldestFirst() {
        Chat first = store.create(Set.of("alice", "bob"), "one", T0);
        store.create(Set.of("bob", "carol"), "other", T0.plusSeconds(1));
        Chat third = store.create(Set.of("alice"), "three", T0.plusSeconds(2));

        assertThat(store.chatsOf("alice")).extracting(Chat::id).containsExactly(first.id(), third.id());
        assertThat(store.chatsOf("dave")).isEmpty();
    }

    @Test
    void addedParticipantSeesTheChatAndAddingTwiceIsHarmless() {
        Chat chat = store.create(Set.of("alice"), null, T0);

        Chat updated = store.addParticipant(chat.id(), "bob").orElseThrow();
        store.addParticipant(chat.id(), "bob");

        assertThat(updated.participants()).containsExactlyInAnyOrder("alice", "bob");
        assertThat(store.find(chat.id()).orElseThrow().participants()).containsExactlyInAnyOrder("alice", "bob");
        assertThat(store.chatsOf("bob")).extracting(Chat::id).containsExactly(chat.id());
    }

    @Test
    void removedParticipantNoLongerSeesTheChat() {
        Chat chat = store.create(Set.of("alice", "bob"), null, T0);

        Chat updated = store.removeParticipant(chat.id(), "bob").orElseThrow();

        assertThat(updated.participants()).containsExactly("alice");
        assertThat(store.chatsOf("bob")).isEmpty();
        assertThat(store.find(chat.id()).orElseThrow().hasParticipant("bob")).isFalse();
        assertThat(store.removeParticipant(chat.id(), "bob")).contains(updated);
    }

    @Test
    void theLastParticipantIsNeverRemovedAndTheChatComesBackAsItIs() {
        Chat chat = store.create(Set.of("alice"), null, T0);

        Optional<Chat> unchanged = store.removeParticipant(chat.id(), "alice");

        assertThat(unchanged).map(Chat::participants).contains(Set.of("alice"));
        assertThat(store.find(chat.id()).orElseThrow().participants()).containsExactly("alice");
        assertThat(store.chatsOf("alice")).extracting(Chat::id).containsExactly(chat.id());
    }

    @Test
    void concurrentAddsAreAllKept() throws Exception {
        Chat chat = store.create(Set.of("owner"), null, T0);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Object>> adds = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String user = "user-" + i;
                adds.add(() -> store.addParticipant(chat.id(), user));
            }
            for (Future<Object> result : pool.invokeAll(adds)) {
                result.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.find(chat.id()).orElseThrow().participants()).hasSize(21);
    }
}
