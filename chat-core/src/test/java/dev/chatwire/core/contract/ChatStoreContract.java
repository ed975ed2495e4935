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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        Chat chat = store.create("alice", Set.of("alice", "bob"), "Lunch ✓", T0);

        assertThat(chat.id()).isNotBlank();
        assertThat(chat.participants()).containsExactlyInAnyOrder("alice", "bob");
        assertThat(chat.name()).isEqualTo("Lunch ✓");
        assertThat(chat.createdAt()).isEqualTo(T0);
        assertThat(store.find(chat.id())).contains(chat);
    }

    @Test
    void unnamedChatKeepsANullName() {
        Chat chat = store.create("alice", Set.of("alice"), null, T0);
        assertThat(store.find(chat.id()).orElseThrow().name()).isNull();
    }

    @Test
    void everyChatGetsItsOwnId() {
        Chat first = store.create("alice", Set.of("alice"), null, T0);
        Chat second = store.create("alice", Set.of("alice"), null, T0);
        assertThat(first.id()).isNotEqualTo(second.id());
    }

    @Test
    void unknownAndMalformedIdsFindNothing() {
        store.create("alice", Set.of("alice"), null, T0);
        assertThat(store.find("no-such-chat")).isEmpty();
        assertThat(store.find("{\"$gt\":\"\"}")).isEmpty();
        assertThat(store.find("$where")).isEmpty();
        assertThat(store.find("")).isEmpty();
        assertThat(store.addParticipant("no-such-chat", "bob")).isEmpty();
        assertThat(store.removeParticipant("no-such-chat", "bob")).isEmpty();
        assertThat(store.setAdmin("no-such-chat", "bob", true)).isEmpty();
        assertThat(store.accept("no-such-chat", "bob")).isEmpty();
        assertThat(store.accept("{\"$gt\":\"\"}", "bob")).isEmpty();
    }

    @Test
    void chatsOfListsOnlyTheUsersChatsOldestFirst() {
        Chat first = store.create("alice", Set.of("alice", "bob"), "one", T0);
        store.create("bob", Set.of("bob", "carol"), "other", T0.plusSeconds(1));
        Chat third = store.create("alice", Set.of("alice"), "three", T0.plusSeconds(2));

        assertThat(store.chatsOf("alice")).extracting(Chat::id).containsExactly(first.id(), third.id());
        assertThat(store.chatsOf("dave")).isEmpty();
    }

    @Test
    void addedParticipantSeesTheChatAndAddingTwiceIsHarmless() {
        Chat chat = store.create("alice", Set.of("alice"), null, T0);

        Chat updated = store.addParticipant(chat.id(), "bob").orElseThrow();
        store.addParticipant(chat.id(), "bob");

        assertThat(updated.participants()).containsExactlyInAnyOrder("alice", "bob");
        assertThat(store.find(chat.id()).orElseThrow().participants()).containsExactlyInAnyOrder("alice", "bob");
        assertThat(store.chatsOf("bob")).extracting(Chat::id).containsExactly(chat.id());
    }

    @Test
    void removedParticipantNoLongerSeesTheChat() {
        Chat chat = store.create("alice", Set.of("alice", "bob"), null, T0);

        Chat updated = store.removeParticipant(chat.id(), "bob").orElseThrow();

        assertThat(updated.participants()).containsExactly("alice");
        assertThat(store.chatsOf("bob")).isEmpty();
        assertThat(store.find(chat.id()).orElseThrow().hasParticipant("bob")).isFalse();
        assertThat(store.removeParticipant(chat.id(), "bob")).contains(updated);
    }

    @Test
    void theLastParticipantIsNeverRemovedAndTheChatComesBackAsItIs() {
        Chat chat = store.create("alice", Set.of("alice"), null, T0);

        Optional<Chat> unchanged = store.removeParticipant(chat.id(), "alice");

        assertThat(unchanged).map(Chat::participants).contains(Set.of("alice"));
        assertThat(store.find(chat.id()).orElseThrow().participants()).containsExactly("alice");
        assertThat(store.chatsOf("alice")).extracting(Chat::id).containsExactly(chat.id());
    }

    @Test
    void concurrentAddsAreAllKept() throws Exception {
        Chat chat = store.create("owner", Set.of("owner"), null, T0);
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

    @Test
    void theCreatorOwnsTheChatAndHasAcceptedItAndNobodyElseHas() {
        Chat chat = store.create("alice", Set.of("alice", "bob"), null, T0);

        Chat found = store.find(chat.id()).orElseThrow();
        assertThat(found).isEqualTo(chat);
        assertThat(found.owner()).isEqualTo("alice");
        assertThat(found.admins()).isEmpty();
        assertThat(found.accepted()).containsExactly("alice");
        assertThat(store.chatsOf("bob")).singleElement().extracting(Chat::owner).isEqualTo("alice");
    }

    @Test
    void anOwnerWhoIsNotAParticipantIsRefused() {
        assertThatThrownBy(() -> store.create("mallory", Set.of("alice"), null, T0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.chatsOf("alice")).isEmpty();
    }

    @Test
    void adminsAreNamedAndDismissedAmongParticipantsOnly() {
        Chat chat = store.create("alice", Set.of("alice", "bob", "carol"), null, T0);

        assertThat(store.setAdmin(chat.id(), "bob", true).orElseThrow().admins()).containsExactly("bob");
        assertThat(store.setAdmin(chat.id(), "bob", true).orElseThrow().admins()).containsExactly("bob");
        assertThat(store.setAdmin(chat.id(), "mallory", true).orElseThrow().admins()).containsExactly("bob");
        assertThat(store.find(chat.id()).orElseThrow().hasAdmin("bob")).isTrue();

        assertThat(store.setAdmin(chat.id(), "bob", false).orElseThrow().admins()).isEmpty();
        assertThat(store.find(chat.id()).orElseThrow().admins()).isEmpty();
    }

    @Test
    void acceptingIsRecordedOnceAndOnlyForParticipants() {
        Chat chat = store.create("alice", Set.of("alice", "bob"), null, T0);

        assertThat(store.accept(chat.id(), "bob").orElseThrow().accepted()).containsExactlyInAnyOrder("alice", "bob");
        assertThat(store.accept(chat.id(), "bob").orElseThrow().accepted()).containsExactlyInAnyOrder("alice", "bob");
        assertThat(store.accept(chat.id(), "mallory").orElseThrow().accepted()).doesNotContain("mallory");
        assertThat(store.find(chat.id()).orElseThrow().hasAccepted("bob")).isTrue();
        assertThat(store.chatsOf("bob")).singleElement().matches(found -> found.hasAccepted("bob"));
    }

    @Test
    void aRemovedParticipantLosesItsAdminRoleAndConsentSoThatAddedAgainItStartsOver() {
        Chat chat = store.create("alice", Set.of("alice", "bob"), null, T0);
        store.setAdmin(chat.id(), "bob", true);
        store.accept(chat.id(), "bob");

        store.removeParticipant(chat.id(), "bob");
        Chat again = store.addParticipant(chat.id(), "bob").orElseThrow();

        assertThat(again.admins()).doesNotContain("bob");
        assertThat(again.accepted()).doesNotContain("bob");
        assertThat(again.owner()).isEqualTo("alice");
        assertThat(store.find(chat.id()).orElseThrow()).isEqualTo(again);
    }

    @Test
    void concurrentAcceptsAndAdminChangesAreAllKept() throws Exception {
        Set<String> users = new java.util.LinkedHashSet<>();
        users.add("owner");
        for (int i = 0; i < 10; i++) {
            users.add("user-" + i);
        }
        Chat chat = store.create("owner", users, null, T0);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Object>> changes = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String user = "user-" + i;
                changes.add(() -> store.accept(chat.id(), user));
                changes.add(() -> store.setAdmin(chat.id(), user, true));
            }
            for (Future<Object> result : pool.invokeAll(changes)) {
                result.get();
            }
        } finally {
            pool.shutdownNow();
        }
        Chat changed = store.find(chat.id()).orElseThrow();
        assertThat(changed.accepted()).hasSize(11);
        assertThat(changed.admins()).hasSize(10);
    }
}
