package dev.chatwire.core.contract;

import dev.chatwire.core.Chat;
import dev.chatwire.core.ChatActivity;
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
        assertThat(store.addParticipant("no-such-chat", "bob", 0)).isEmpty();
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

        Chat updated = store.addParticipant(chat.id(), "bob", 0).orElseThrow();
        store.addParticipant(chat.id(), "bob", 0);

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
                adds.add(() -> store.addParticipant(chat.id(), user, 0));
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
        Chat again = store.addParticipant(chat.id(), "bob", 0).orElseThrow();

        assertThat(again.admins()).doesNotContain("bob");
        assertThat(again.accepted()).doesNotContain("bob");
        assertThat(again.owner()).isEqualTo("alice");
        assertThat(store.find(chat.id()).orElseThrow()).isEqualTo(again);
    }

    @Test
    void theCreatorAndTheFirstParticipantsHaveNoJoinSeq() {
        Chat chat = store.create("alice", Set.of("alice", "bob"), null, T0);

        Chat found = store.find(chat.id()).orElseThrow();
        assertThat(found.joinSeqOf("alice")).isZero();
        assertThat(found.joinSeqOf("bob")).isZero();
        assertThat(found.joinSeqs()).isEmpty();
    }

    @Test
    void anAddedParticipantKeepsTheJoinSeqItWasAddedWithAndAddingAgainKeepsIt() {
        Chat chat = store.create("alice", Set.of("alice"), null, T0);

        Chat added = store.addParticipant(chat.id(), "bob", 42).orElseThrow();
        Chat again = store.addParticipant(chat.id(), "bob", 99).orElseThrow();

        assertThat(added.joinSeqOf("bob")).isEqualTo(42);
        assertThat(added.joinSeqOf("alice")).isZero();
        assertThat(again.joinSeqOf("bob")).isEqualTo(42);
        assertThat(store.find(chat.id()).orElseThrow().joinSeqOf("bob")).isEqualTo(42);
        assertThat(store.chatsOf("bob")).singleElement().extracting(found -> found.joinSeqOf("bob")).isEqualTo(42L);
        assertThat(store.chatsByActivity("bob", null, 10)).singleElement()
                .extracting(entry -> entry.chat().joinSeqOf("bob")).isEqualTo(42L);
    }

    @Test
    void aRemovedParticipantAddedAgainGetsItsNewJoinSeqAndTheOthersKeepTheirs() {
        Chat chat = store.create("alice", Set.of("alice"), null, T0);
        store.addParticipant(chat.id(), "bob", 5);
        store.addParticipant(chat.id(), "carol", 7);

        Chat removed = store.removeParticipant(chat.id(), "bob").orElseThrow();
        Chat again = store.addParticipant(chat.id(), "bob", 30).orElseThrow();

        assertThat(removed.joinSeqs()).doesNotContainKey("bob");
        assertThat(again.joinSeqOf("bob")).isEqualTo(30);
        assertThat(again.joinSeqOf("carol")).isEqualTo(7);
        assertThat(store.find(chat.id()).orElseThrow()).isEqualTo(again);
    }

    @Test
    void joinSeqsOutliveAdminAndConsentChanges() {
        Chat chat = store.create("alice", Set.of("alice"), null, T0);
        store.addParticipant(chat.id(), "bob", 12);

        assertThat(store.setAdmin(chat.id(), "bob", true).orElseThrow().joinSeqOf("bob")).isEqualTo(12);
        assertThat(store.accept(chat.id(), "bob").orElseThrow().joinSeqOf("bob")).isEqualTo(12);
        assertThat(store.setAdmin(chat.id(), "bob", false).orElseThrow().joinSeqOf("bob")).isEqualTo(12);
        assertThat(store.find(chat.id()).orElseThrow().joinSeqOf("bob")).isEqualTo(12);
    }

    @Test
    void concurrentAddsOfOneUserRecordASingleJoinSeq() throws Exception {
        Chat chat = store.create("owner", Set.of("owner"), null, T0);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Chat>> adds = new ArrayList<>();
            for (int i = 1; i <= 8; i++) {
                long seq = i;
                adds.add(() -> store.addParticipant(chat.id(), "bob", seq).orElseThrow());
            }
            for (Future<Chat> result : pool.invokeAll(adds)) {
                result.get();
            }
        } finally {
            pool.shutdownNow();
        }
        Chat found = store.find(chat.id()).orElseThrow();
        assertThat(found.participants()).containsExactly("owner", "bob");
        assertThat(found.joinSeqs()).containsOnlyKeys("bob");
        assertThat(found.joinSeqOf("bob")).isBetween(1L, 8L);
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

    private List<String> activityOrder(String userId, ChatActivity.Position after, int limit) {
        return store.chatsByActivity(userId, after, limit).stream().map(entry -> entry.chat().id()).toList();
    }

    @Test
    void chatsByActivityPutsTheNewestTouchFirstAndUntouchedChatsByCreation() {
        Chat first = store.create("alice", Set.of("alice", "bob"), null, T0);
        Chat second = store.create("alice", Set.of("alice", "carol"), null, T0.plusSeconds(1));
        Chat third = store.create("alice", Set.of("alice", "dave"), null, T0.plusSeconds(2));
        store.create("bob", Set.of("bob"), null, T0.plusSeconds(3));

        store.touch(first.id(), T0.plusSeconds(10));
        store.touch(second.id(), T0.plusSeconds(5));
        store.touch(second.id(), T0.plusSeconds(4));

        assertThat(activityOrder("alice", null, 10)).containsExactly(first.id(), second.id(), third.id());
        List<ChatActivity> page = store.chatsByActivity("alice", null, 10);
        assertThat(page).extracting(ChatActivity::activityAt)
                .containsExactly(T0.plusSeconds(10), T0.plusSeconds(5), T0.plusSeconds(2));
        assertThat(page.get(0).chat()).isEqualTo(store.find(first.id()).orElseThrow());
    }

    @Test
    void chatsByActivityPagesFromAPositionWithoutRepeatsOrGapsWhenTimesTie() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(store.create("alice", Set.of("alice"), null, T0).id());
        }
        Chat touched = store.create("alice", Set.of("alice"), null, T0);
        store.touch(touched.id(), T0.plusMillis(1));

        List<String> seen = new ArrayList<>();
        ChatActivity.Position after = null;
        for (List<ChatActivity> page = store.chatsByActivity("alice", null, 3); !page.isEmpty();
             page = store.chatsByActivity("alice", after, 3)) {
            page.forEach(entry -> seen.add(entry.chat().id()));
            after = page.get(page.size() - 1).position();
        }

        List<String> tiedByIdDescending = created.stream().sorted(java.util.Comparator.reverseOrder()).toList();
        assertThat(seen.get(0)).isEqualTo(touched.id());
        assertThat(seen.subList(1, seen.size())).containsExactlyElementsOf(tiedByIdDescending);
    }

    @Test
    void chatsByActivityLeavesOutChatsTheUserLeftAndTouchOfAnUnknownChatChangesNothing() {
        Chat left = store.create("alice", Set.of("alice", "bob"), null, T0);
        Chat kept = store.create("bob", Set.of("alice", "bob"), null, T0);
        store.removeParticipant(left.id(), "alice");
        store.touch(newUnknownChatId(left.id()), T0.plusSeconds(60));

        assertThat(activityOrder("alice", null, 10)).containsExactly(kept.id());
        assertThat(activityOrder("nobody", null, 10)).isEmpty();
    }

    /** An id the store never issued, in the store's own format where it has one: the given id, changed. */
    private static String newUnknownChatId(String issued) {
        char last = issued.charAt(issued.length() - 1);
        return issued.substring(0, issued.length() - 1) + (last == '0' ? '1' : '0');
    }
}
