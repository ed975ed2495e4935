package dev.chatwire.core.contract;

import dev.chatwire.core.Attachment;
import dev.chatwire.core.Message;
import dev.chatwire.core.MessageChange;
import dev.chatwire.core.MessageDraft;
import dev.chatwire.core.MessageType;
import dev.chatwire.core.TimelineEntry;
import dev.chatwire.core.spi.ChatPosition;
import dev.chatwire.core.spi.MessageStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * The behaviour every {@link MessageStore} must have for changes to messages (edits, deletes, reactions), which are
 * entries of the chat's timeline, and for what is read off the timeline (unread counts, the newest message).
 * Extend it and return a fresh, isolated store from {@link #newStore()}.
 */
public abstract class MessageTimelineContract {

    /** A new store that shares no data with any other test's store. */
    protected abstract MessageStore newStore();

    /** A second instance over the same backing data, as another node would create it; {@code store} by default. */
    protected MessageStore sameDataOnAnotherNode(MessageStore store) {
        return store;
    }

    /** Chat ids in the form the store issues; override when the store only accepts its own id format. */
    protected String newChatId() {
        return UUID.randomUUID().toString();
    }

    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05.678Z");
    private static final Instant T1 = T0.plusSeconds(60);

    private MessageStore store;
    private String chat;

    @BeforeEach
    void freshStore() {
        store = newStore();
        chat = newChatId();
    }

    private Message append(String chatId, String sender, String text) {
        return store.append(MessageDraft.text(chatId, sender, text, null, T0)).message();
    }

    private TimelineEntry change(Message message, MessageChange change) {
        return store.change(message.chatId(), message.id(), change, T1).orElseThrow();
    }

    @Test
    void aChangeTakesTheNextSeqOfTheTimelineMessagesShare() {
        Message first = append(chat, "alice", "helo");
        append(chat, "bob", "hi");

        TimelineEntry edit = change(first, new MessageChange.Edit("hello"));
        Message third = append(chat, "alice", "again");

        assertThat(edit.seq()).isEqualTo(3);
        assertThat(edit.isChange()).isTrue();
        assertThat(edit.message().seq()).isEqualTo(first.seq());
        assertThat(edit.message().text()).isEqualTo("hello");
        assertThat(edit.message().editedAt()).isEqualTo(T1);
        assertThat(third.seq()).isEqualTo(4);
        assertThat(store.lastSeq(chat)).isEqualTo(4);
        List<TimelineEntry> timeline = store.timeline(chat, 0, 10);
        assertThat(timeline).extracting(TimelineEntry::seq).containsExactly(1L, 2L, 3L, 4L);
        assertThat(timeline).extracting(TimelineEntry::isChange).containsExactly(false, false, true, false);
    }

    @Test
    void aRemovalTakesTheNextSeqAndOnlyTheTimelineShowsIt() {
        Message first = append(chat, "alice", "one");

        TimelineEntry removal = store.recordRemoval(chat, "bob", T1);
        Message after = append(chat, "alice", "two");

        assertThat(removal.seq()).isEqualTo(2);
        assertThat(removal.isRemoval()).isTrue();
        assertThat(removal.removedUserId()).isEqualTo("bob");
        assertThat(after.seq()).isEqualTo(3);
        assertThat(store.lastSeq(chat)).isEqualTo(3);
        List<TimelineEntry> timeline = store.timeline(chat, 0, 10);
        assertThat(timeline).extracting(TimelineEntry::seq).containsExactly(1L, 2L, 3L);
        assertThat(timeline).extracting(TimelineEntry::isRemoval).containsExactly(false, true, false);
        assertThat(timeline.get(1).removedUserId()).isEqualTo("bob");
        assertThat(timeline.get(1).message()).isNull();
        assertThat(store.after(chat, 0, 10)).extracting(Message::seq).containsExactly(1L, 3L);
        assertThat(store.before(chat, Long.MAX_VALUE, 10)).extracting(Message::seq).containsExactly(1L, 3L);
        assertThat(store.unreadCounts("carol", Map.of(chat, 0L))).containsEntry(chat, 2L);
        assertThat(store.find(chat, first.id())).isPresent();
    }

    @Test
    void aChatWhoseLastEntryIsARemovalShowsItsNewestMessageAndCountsNoRemovalAsUnread() {
        append(chat, "alice", "one");
        Message newest = append(chat, "alice", "two");
        store.recordRemoval(chat, "bob", T1);

        assertThat(store.newest(List.of(chat))).containsEntry(chat, newest);
        assertThat(store.unreadCounts("carol", Map.of(chat, 2L))).containsEntry(chat, 0L);
        assertThat(store.lastSeqs(List.of(chat))).containsEntry(chat, 3L);
        assertThat(sameDataOnAnotherNode(store).timeline(chat, 2, 10)).singleElement()
                .matches(TimelineEntry::isRemoval);
    }

    @Test
    void everyTimelineEntryShowsTheMessageInItsCurrentState() {
        Message first = append(chat, "alice", "one");
        change(first, new MessageChange.Edit("two"));
        change(first, new MessageChange.React("bob", "👍", true));

        List<TimelineEntry> timeline = store.timeline(chat, 0, 10);

        assertThat(timeline).extracting(entry -> entry.message().text()).containsOnly("two");
        assertThat(timeline).extracting(entry -> entry.message().reactions())
                .containsOnly(Map.of("👍", List.of("bob")));
        assertThat(store.timeline(chat, 1, 1)).extracting(TimelineEntry::seq).containsExactly(2L);
    }

    @Test
    void historyHoldsMessagesOnlyInTheirCurrentState() {
        Message first = append(chat, "alice", "one");
        Message second = append(chat, "bob", "two");
        change(first, new MessageChange.Edit("one, edited"));
        change(second, new MessageChange.Delete());
        Message third = append(chat, "carol", "three");

        assertThat(store.after(chat, 0, 10)).extracting(Message::seq).containsExactly(1L, 2L, 5L);
        assertThat(store.after(chat, 0, 10).get(0).text()).isEqualTo("one, edited");
        assertThat(store.after(chat, 0, 10).get(1).deleted()).isTrue();
        assertThat(store.before(chat, Long.MAX_VALUE, 2)).extracting(Message::seq).containsExactly(2L, 5L);
        assertThat(store.before(chat, third.seq(), 10)).extracting(Message::seq).containsExactly(1L, 2L);
    }

    @Test
    void aDeleteDropsTextAndAttachmentAndRefusesEveryLaterChange() {
        Attachment attachment = new Attachment("media-1", "image/png", 42, "cat.png");
        Message image = store.append(new MessageDraft(chat, "alice", MessageType.IMAGE, "look", attachment, null,
                T0)).message();

        TimelineEntry delete = change(image, new MessageChange.Delete());

        assertThat(delete.message().deleted()).isTrue();
        assertThat(delete.message().text()).isNull();
        assertThat(delete.message().attachment()).isNull();
        assertThat(delete.message().type()).isEqualTo(MessageType.IMAGE);
        assertThat(store.change(chat, image.id(), new MessageChange.Edit("back"), T1)).isEmpty();
        assertThat(store.change(chat, image.id(), new MessageChange.React("bob", "👍", true), T1)).isEmpty();
        assertThat(store.change(chat, image.id(), new MessageChange.Delete(), T1)).isEmpty();
        assertThat(store.lastSeq(chat)).isEqualTo(2);
        assertThat(store.find(chat, image.id()).orElseThrow().deleted()).isTrue();
    }

    @Test
    void reactionsAreAddedOncePerUserAndRemoved() {
        Message message = append(chat, "alice", "hi");
        change(message, new MessageChange.React("bob", "👍", true));
        change(message, new MessageChange.React("bob", "👍", true));
        change(message, new MessageChange.React("carol", "👍", true));
        change(message, new MessageChange.React("carol", "🎉", true));
        TimelineEntry last = change(message, new MessageChange.React("carol", "🎉", false));

        assertThat(last.message().reactions()).containsExactly(entry("👍", List.of("bob", "carol")));
        assertThat(store.find(chat, message.id()).orElseThrow().reactions()).isEqualTo(last.message().reactions());
    }

    @Test
    void aChangeToAMessageOfAnotherChatOrAnUnknownIdFindsNothing() {
        Message message = append(chat, "alice", "hi");
        String other = newChatId();
        append(other, "alice", "elsewhere");

        assertThat(store.find(other, message.id())).isEmpty();
        assertThat(store.find(chat, "no-such-id")).isEmpty();
        assertThat(store.change(other, message.id(), new MessageChange.Edit("x"), T1)).isEmpty();
        assertThat(store.change(chat, "no-such-id", new MessageChange.Edit("x"), T1)).isEmpty();
        assertThat(store.lastSeq(other)).isEqualTo(1);
        assertThat(store.find(chat, message.id())).contains(message);
    }

    @Test
    void concurrentReactionsOnTwoNodesAreAllKeptWithUniqueSeqsAndTheLastEntryShowsThemAll() throws Exception {
        Message message = append(chat, "alice", "react to me");
        MessageStore otherNode = sameDataOnAnotherNode(store);
        int users = 8;
        ExecutorService threads = Executors.newFixedThreadPool(users);
        try {
            List<Callable<TimelineEntry>> reactions = new ArrayList<>();
            for (int i = 0; i < users; i++) {
                MessageStore node = i % 2 == 0 ? store : otherNode;
                String user = "user" + i;
                reactions.add(() -> node.change(chat, message.id(), new MessageChange.React(user, "👍", true), T1)
                        .orElseThrow());
            }
            List<Long> seqs = new ArrayList<>();
            for (Future<TimelineEntry> entry : threads.invokeAll(reactions, 60, TimeUnit.SECONDS)) {
                seqs.add(entry.get().seq());
            }
            assertThat(seqs).doesNotHaveDuplicates().allMatch(seq -> seq >= 2 && seq <= users + 1);
        } finally {
            threads.shutdownNow();
        }
        List<String> everyone = IntStream.range(0, users).mapToObj(i -> "user" + i).toList();
        assertThat(store.find(chat, message.id()).orElseThrow().reactions().get("👍"))
                .containsExactlyInAnyOrderElementsOf(everyone);
        List<TimelineEntry> timeline = store.timeline(chat, 0, 20);
        assertThat(timeline).extracting(TimelineEntry::seq)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, users + 1).boxed().toList());
        assertThat(timeline.get(timeline.size() - 1).message().reactions().get("👍"))
                .containsExactlyInAnyOrderElementsOf(everyone);
    }

    @Test
    void unreadCountsMessagesOfOthersAfterTheReadSeqThatAreNotDeleted() {
        String quiet = newChatId();
        String empty = newChatId();
        Message fromBob = appendOwnOthersAndADeletedOne();
        change(fromBob, new MessageChange.Edit("one, edited"));
        append(quiet, "bob", "old");
        long readThrough = append(quiet, "bob", "read").seq();
        append(quiet, "alice", "my answer");

        Map<String, Long> unread = store.unreadCounts("alice", Map.of(chat, 0L, quiet, readThrough, empty, 0L));

        assertThat(unread).containsOnly(entry(chat, 2L), entry(quiet, 0L), entry(empty, 0L));
        assertThat(store.unreadCounts("alice", Map.of(chat, fromBob.seq()))).containsOnly(entry(chat, 1L));
    }

    @Test
    void positionsAnswerTheLastSeqAndTheUnreadCountAfterTheSeqGivenForEveryChat() {
        String readToItsEnd = newChatId();
        String endsInAChange = newChatId();
        String empty = newChatId();
        String endsBelowItsSeq = newChatId();
        Message fromBob = appendOwnOthersAndADeletedOne();
        append(readToItsEnd, "alice", "old");
        long readEnd = append(readToItsEnd, "bob", "read").seq();
        Message edited = append(endsInAChange, "bob", "first");
        append(endsInAChange, "bob", "second");
        long changeSeq = change(edited, new MessageChange.Edit("first, edited")).seq();
        append(endsBelowItsSeq, "bob", "only");

        Map<String, ChatPosition> positions = store.positions("alice", orderedMap(chat, fromBob.seq(),
                readToItsEnd, readEnd, endsInAChange, edited.seq(), empty, 0L, endsBelowItsSeq, 7L));

        assertThat(positions).containsExactly(
                entry(chat, new ChatPosition(store.lastSeq(chat), 1)),
                entry(readToItsEnd, new ChatPosition(readEnd, 0)),
                entry(endsInAChange, new ChatPosition(changeSeq, 1)),
                entry(empty, new ChatPosition(0, 0)),
                entry(endsBelowItsSeq, new ChatPosition(1, 0)));
        assertThat(store.positions("alice", Map.of(chat, 0L))).containsExactly(entry(chat, new ChatPosition(5, 2)));
        assertThat(store.positions("alice", Map.of())).isEmpty();
    }

    @Test
    void positionsAgreeWithLastSeqsAndUnreadCountsInALongChat() {
        List<MessageDraft> batch = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            batch.add(MessageDraft.text(chat, i % 3 == 0 ? "alice" : "bob", "m" + i, null, T0));
        }
        store.appendAll(batch);
        for (long after : new long[] {0, 1, 2, 3, 500, 999, 1_000}) {
            assertThat(store.positions("alice", Map.of(chat, after))).as("counting after %d", after)
                    .containsExactly(entry(chat, new ChatPosition(store.lastSeqs(List.of(chat)).get(chat),
                            store.unreadCounts("alice", Map.of(chat, after)).get(chat))));
        }
    }

    /**
     * Alice's message, bob's two (the second deleted) and carol's, then the deletion at seq 5: for alice, two unread
     * from 0, one after bob's first, which is returned.
     */
    private Message appendOwnOthersAndADeletedOne() {
        append(chat, "alice", "mine");
        Message fromBob = append(chat, "bob", "one");
        Message deleted = append(chat, "bob", "two");
        append(chat, "carol", "three");
        change(deleted, new MessageChange.Delete());
        return fromBob;
    }

    private static Map<String, Long> orderedMap(Object... chatsAndSeqs) {
        Map<String, Long> map = new LinkedHashMap<>();
        for (int i = 0; i < chatsAndSeqs.length; i += 2) {
            map.put((String) chatsAndSeqs[i], (Long) chatsAndSeqs[i + 1]);
        }
        return map;
    }

    @Test
    void unreadCountsStayRightInALongChat() {
        int total = 10_000;
        List<MessageDraft> batch = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            batch.add(MessageDraft.text(chat, i % 4 == 0 ? "alice" : "bob", "m" + i, null, T0));
            if (batch.size() == 500) {
                store.appendAll(batch);
                batch.clear();
            }
        }

        assertThat(store.unreadCounts("alice", Map.of(chat, 0L))).containsOnly(entry(chat, 7_500L));
        assertThat(store.unreadCounts("alice", Map.of(chat, 9_000L))).containsOnly(entry(chat, 750L));
    }

    @Test
    void newestIsEachChatsNewestMessageInItsCurrentState() {
        String other = newChatId();
        String empty = newChatId();
        append(chat, "alice", "older");
        Message newest = append(chat, "bob", "newest");
        change(newest, new MessageChange.Edit("newest, edited"));
        Message otherNewest = append(other, "carol", "only");

        Map<String, Message> found = store.newest(List.of(chat, other, empty));

        assertThat(found).containsOnlyKeys(chat, other);
        assertThat(found.get(chat).seq()).isEqualTo(newest.seq());
        assertThat(found.get(chat).text()).isEqualTo("newest, edited");
        assertThat(found.get(other)).isEqualTo(otherNewest);
    }
}
