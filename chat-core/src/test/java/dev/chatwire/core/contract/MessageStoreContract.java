package dev.chatwire.core.contract;

import dev.chatwire.core.Attachment;
import dev.chatwire.core.Message;
import dev.chatwire.core.MessageDraft;
import dev.chatwire.core.MessageType;
import dev.chatwire.core.spi.MessageStore;
import dev.chatwire.core.spi.MessageStore.Appended;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/**
 * The behaviour every {@link MessageStore} must have. Extend it and return a fresh, isolated store from
 * {@link #newStore()}.
 */
public abstract class MessageStoreContract {

    /** A new store that shares no data with any other test's store. */
    protected abstract MessageStore newStore();

    /**
     * A second instance over the same backing data, as another node of the same deployment would create it. Stores
     * that keep nothing per instance may return {@code store} itself, which is the default.
     */
    protected MessageStore sameDataOnAnotherNode(MessageStore store) {
        return store;
    }

    /** Chat ids in the form the store issues; override when the store only accepts its own id format. */
    protected String newChatId() {
        return UUID.randomUUID().toString();
    }

    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05.678Z");

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

    private static List<Long> seqs(List<Message> messages) {
        return messages.stream().map(Message::seq).toList();
    }

    @Test
    void appendAssignsIncreasingSeqPerChat() {
        long previous = 0;
        for (int i = 0; i < 5; i++) {
            Message message = append(chat, "alice", "m" + i);
            assertThat(message.seq()).isGreaterThan(previous);
            previous = message.seq();
        }
        assertThat(store.lastSeq(chat)).isEqualTo(previous);
    }

    @Test
    void appendedMessageKeepsEveryField() {
        Attachment attachment = new Attachment("media-1", "image/png", 42, "cat.png");
        MessageDraft draft = new MessageDraft(chat, "alice", MessageType.IMAGE, "caption é ✓", attachment, "c-1", T0);

        Appended appended = store.append(draft);

        Message stored = appended.message();
        assertThat(appended.created()).isTrue();
        assertThat(stored.id()).isNotBlank();
        assertThat(stored).usingRecursiveComparison().ignoringFields("id", "seq")
                .isEqualTo(draft.toMessage("x", 1));
        assertThat(store.after(chat, 0, 10)).containsExactly(stored);
    }

    @Test
    void findByMediaFindsTheMessageCarryingTheFileInItsChatOnly() {
        String other = newChatId();
        append(chat, "alice", "before");
        Message photo = store.append(new MessageDraft(chat, "alice", MessageType.IMAGE, null,
                new Attachment("media-7", "image/png", 42, "cat.png"), null, T0)).message();
        store.append(new MessageDraft(chat, "bob", MessageType.FILE, null,
                new Attachment("media-8", "application/pdf", 9, null), null, T0));
        append(chat, "bob", "after");

        assertThat(store.findByMedia(chat, "media-7")).contains(photo);
        assertThat(store.findByMedia(chat, "media-9")).isEmpty();
        assertThat(store.findByMedia(other, "media-7")).isEmpty();
    }

    @Test
    void chatsHaveIndependentTimelines() {
        String other = newChatId();
        Message a1 = append(chat, "alice", "a1");
        append(other, "bob", "b1");
        append(other, "bob", "b2");
        Message a2 = append(chat, "alice", "a2");

        assertThat(store.after(chat, 0, 10)).containsExactly(a1, a2);
        assertThat(store.after(other, 0, 10)).extracting(Message::text).containsExactly("b1", "b2");
    }

    @Test
    void messageIdsAreUniqueAcrossChats() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            ids.add(append(chat, "alice", "x").id());
            ids.add(append(newChatId(), "alice", "x").id());
        }
        assertThat(ids).hasSize(6);
    }

    @Test
    void retryWithSameClientMessageIdReturnsTheOriginal() {
        Appended first = store.append(MessageDraft.text(chat, "alice", "hello", "client-1", T0));
        Appended retry = store.append(MessageDraft.text(chat, "alice", "hello again", "client-1", T0.plusSeconds(1)));

        assertThat(first.created()).isTrue();
        assertThat(retry.created()).isFalse();
        assertThat(retry.message()).isEqualTo(first.message());
        assertThat(store.after(chat, 0, 10)).containsExactly(first.message());
    }

    @Test
    void sameClientMessageIdFromAnotherSenderOrChatIsANewMessage() {
        Message fromAlice = store.append(MessageDraft.text(chat, "alice", "hi", "same", T0)).message();
        Appended fromBob = store.append(MessageDraft.text(chat, "bob", "hi", "same", T0));
        Appended elsewhere = store.append(MessageDraft.text(newChatId(), "alice", "hi", "same", T0));

        assertThat(fromBob.created()).isTrue();
        assertThat(elsewhere.created()).isTrue();
        assertThat(fromBob.message().id()).isNotEqualTo(fromAlice.id());
    }

    @Test
    void messagesWithoutClientMessageIdAreNeverDeduplicated() {
        append(chat, "alice", "same");
        append(chat, "alice", "same");
        assertThat(store.after(chat, 0, 10)).hasSize(2);
    }

    @Test
    void afterPagesForwardOldestFirst() {
        List<Message> all = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            all.add(append(chat, "alice", "m" + i));
        }
        List<Message> firstPage = store.after(chat, 0, 3);
        List<Message> secondPage = store.after(chat, firstPage.get(2).seq(), 3);
        List<Message> lastPage = store.after(chat, secondPage.get(2).seq(), 3);

        assertThat(firstPage).containsExactlyElementsOf(all.subList(0, 3));
        assertThat(secondPage).containsExactlyElementsOf(all.subList(3, 6));
        assertThat(lastPage).containsExactlyElementsOf(all.subList(6, 7));
        assertThat(store.after(chat, all.get(6).seq(), 3)).isEmpty();
    }

    @Test
    void beforePagesBackwardReturningEachPageOldestFirst() {
        List<Message> all = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            all.add(append(chat, "alice", "m" + i));
        }
        List<Message> newest = store.before(chat, Long.MAX_VALUE, 3);
        List<Message> older = store.before(chat, newest.get(0).seq(), 3);
        List<Message> oldest = store.before(chat, older.get(0).seq(), 3);

        assertThat(newest).containsExactlyElementsOf(all.subList(4, 7));
        assertThat(older).containsExactlyElementsOf(all.subList(1, 4));
        assertThat(oldest).containsExactlyElementsOf(all.subList(0, 1));
        assertThat(store.before(chat, all.get(0).seq(), 3)).isEmpty();
    }

    @Test
    void unknownChatHasNoMessagesAndLastSeqZero() {
        assertThat(store.after(chat, 0, 10)).isEmpty();
        assertThat(store.before(chat, Long.MAX_VALUE, 10)).isEmpty();
        assertThat(store.lastSeq(chat)).isZero();
    }

    @Test
    void lastSeqsAnswersEveryChatAskedAboutWithZeroForAnEmptyOne() {
        String busy = newChatId();
        String quiet = newChatId();
        String empty = newChatId();
        long busySeq = 0;
        for (int i = 0; i < 3; i++) {
            busySeq = append(busy, "alice", "b" + i).seq();
        }
        long quietSeq = append(quiet, "bob", "q").seq();
        append(chat, "carol", "not asked about");

        Map<String, Long> seqs = store.lastSeqs(List.of(busy, empty, quiet, busy));

        assertThat(seqs).containsExactly(entry(busy, busySeq), entry(empty, 0L), entry(quiet, quietSeq));
    }

    @Test
    void lastSeqsOfNoChatsIsEmpty() {
        append(chat, "alice", "hi");
        assertThat(store.lastSeqs(List.of())).isEmpty();
    }

    @Test
    void lastSeqsSeesWhatAnotherNodeAppended() {
        MessageStore otherNode = sameDataOnAnotherNode(store);
        String other = newChatId();
        for (int i = 0; i < 4; i++) {
            otherNode.append(MessageDraft.text(other, "bob", "m" + i, null, T0));
        }
        assertThat(store.lastSeqs(Set.of(other))).containsExactly(entry(other, otherNode.lastSeq(other)));
    }

    @Test
    void eightThreadsAppendingToOneChatNeverShareASeq() throws Exception {
        int threads = 8;
        int perThread = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<List<Message>>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String sender = "user-" + t;
                tasks.add(() -> {
                    List<Message> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        mine.add(append(chat, sender, sender + ":" + i));
                    }
                    return mine;
                });
            }
            List<Message> appended = new ArrayList<>();
            for (Future<List<Message>> result : pool.invokeAll(tasks)) {
                List<Message> mine = result.get();
                assertThat(seqs(mine)).as("one sender's messages are in send order").isSorted();
                appended.addAll(mine);
            }
            assertThat(seqs(appended)).doesNotHaveDuplicates().hasSize(threads * perThread);
            List<Message> stored = store.after(chat, 0, threads * perThread + 10);
            assertThat(stored).hasSize(threads * perThread);
            assertThat(seqs(stored)).isSorted().doesNotHaveDuplicates();
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    /**
     * The rule that makes a hole in a chat's seqs decidable: a reader paging forward with {@link MessageStore#after}
     * never sees a seq and later one below it, so it can move past everything a page showed. Two nodes append while
     * a reader pages; a reader that was shown n+1 before n was visible has skipped n for good.
     */
    @Test
    void aReaderPagingWhileTwoNodesAppendNeverSkipsASeqThatAppearsLater() throws Exception {
        List<MessageStore> nodes = List.of(store, sameDataOnAnotherNode(store));
        int writersPerNode = 3;
        int perWriter = 40;
        ExecutorService pool = Executors.newFixedThreadPool(nodes.size() * writersPerNode + 1);
        try {
            java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
            Future<List<Long>> reader = pool.submit(() -> {
                List<Long> read = new ArrayList<>();
                long after = 0;
                boolean last = false;
                while (!last) {
                    last = !writing.get();
                    List<Message> page;
                    while (!(page = nodes.get(1).after(chat, after, 50)).isEmpty()) {
                        read.addAll(seqs(page));
                        after = page.get(page.size() - 1).seq();
                    }
                }
                return read;
            });
            List<Callable<Void>> writers = new ArrayList<>();
            for (int w = 0; w < nodes.size() * writersPerNode; w++) {
                MessageStore node = nodes.get(w % nodes.size());
                String sender = "user-" + w;
                writers.add(() -> {
                    for (int i = 0; i < perWriter; i++) {
                        node.append(MessageDraft.text(chat, sender, sender + ":" + i, null, T0));
                    }
                    return null;
                });
            }
            for (Future<Void> done : pool.invokeAll(writers)) {
                done.get();
            }
            writing.set(false);

            List<Long> stored = seqs(store.after(chat, 0, nodes.size() * writersPerNode * perWriter + 10));
            assertThat(stored).hasSize(nodes.size() * writersPerNode * perWriter);
            assertThat(reader.get(30, TimeUnit.SECONDS)).as("what the reader paged through, in order")
                    .containsExactlyElementsOf(stored);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void appendAllStoresABatchWithIncreasingSeqsInListOrder() {
        Message before = append(chat, "alice", "before");
        List<MessageDraft> batch = List.of(MessageDraft.text(chat, "alice", "b1", "k-1", T0),
                MessageDraft.text(chat, "bob", "b2", null, T0), MessageDraft.text(chat, "alice", "b3", "k-3", T0));

        List<Appended> results = store.appendAll(batch);

        assertThat(results).hasSize(3).allMatch(Appended::created);
        assertThat(results).extracting(a -> a.message().text()).containsExactly("b1", "b2", "b3");
        assertThat(results).extracting(a -> a.message().seq()).isSorted().doesNotHaveDuplicates()
                .allMatch(seq -> seq > before.seq());
        assertThat(store.after(chat, 0, 10)).extracting(Message::text).containsExactly("before", "b1", "b2", "b3");
        assertThat(store.lastSeq(chat)).isEqualTo(results.get(2).message().seq());
    }

    @Test
    void appendAllAnswersRetriesOfEarlierSendsAndRepeatsWithinTheBatchWithTheStoredMessage() {
        Message earlier = store.append(MessageDraft.text(chat, "alice", "first try", "k-1", T0)).message();
        List<MessageDraft> batch = List.of(MessageDraft.text(chat, "alice", "retry", "k-1", T0),
                MessageDraft.text(chat, "bob", "new", "k-2", T0), MessageDraft.text(chat, "bob", "again", "k-2", T0),
                MessageDraft.text(chat, "carol", "last", null, T0));

        List<Appended> results = store.appendAll(batch);

        assertThat(results).extracting(Appended::created).containsExactly(false, true, false, true);
        assertThat(results.get(0).message()).isEqualTo(earlier);
        assertThat(results.get(2).message()).isEqualTo(results.get(1).message());
        assertThat(store.after(chat, 0, 10)).extracting(Message::text).containsExactly("first try", "new", "last");
        assertThat(results.get(3).message().seq()).isGreaterThan(results.get(1).message().seq());
    }

    @Test
    void appendAllOnTwoNodesAtOnceNeverSharesASeqAndStoresEachKeyOnce() throws Exception {
        List<MessageStore> nodes = List.of(store, sameDataOnAnotherNode(store));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<List<Appended>>> batches = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                MessageStore node = nodes.get(t % 2);
                String sender = "user-" + (t % 2);
                int thread = t;
                batches.add(() -> {
                    List<Appended> results = new ArrayList<>();
                    for (int b = 0; b < 10; b++) {
                        List<MessageDraft> batch = new ArrayList<>();
                        for (int i = 0; i < 5; i++) {
                            // Threads 0 and 2 (and 1 and 3) send the same keys: retries racing across nodes.
                            batch.add(MessageDraft.text(chat, sender, "t" + thread, sender + ":" + b + ":" + i, T0));
                        }
                        results.addAll(node.appendAll(batch));
                    }
                    return results;
                });
            }
            List<Appended> all = new ArrayList<>();
            for (Future<List<Appended>> done : pool.invokeAll(batches)) {
                all.addAll(done.get());
            }
            List<Message> stored = store.after(chat, 0, 500);
            assertThat(stored).hasSize(100);
            assertThat(seqs(stored)).isSorted().doesNotHaveDuplicates();
            assertThat(all).filteredOn(Appended::created).hasSize(100);
            assertThat(all).extracting(Appended::message).allMatch(stored::contains);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void appendAllRefusesAnEmptyBatchAndOneOfTwoChats() {
        assertThatThrownBy(() -> store.appendAll(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.appendAll(List.of(MessageDraft.text(chat, "alice", "a", null, T0),
                MessageDraft.text(newChatId(), "alice", "b", null, T0)))).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.lastSeq(chat)).isZero();
    }

    @Test
    void concurrentRetriesOfOneSendStoreOneMessage() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Appended>> tries = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                tries.add(() -> store.append(MessageDraft.text(chat, "alice", "once", "retry-me", T0)));
            }
            List<Appended> results = new ArrayList<>();
            for (Future<Appended> result : pool.invokeAll(tries)) {
                results.add(result.get());
            }
            assertThat(results).filteredOn(Appended::created).hasSize(1);
            assertThat(results).extracting(a -> a.message().id()).containsOnly(results.get(0).message().id());
            assertThat(store.after(chat, 0, 10)).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void createdAtRoundTripsAtMillisecondPrecision() {
        Instant at = Instant.parse("2026-05-06T07:08:09.123Z");
        Message stored = store.append(MessageDraft.text(chat, "alice", "t", null, at)).message();
        assertThat(store.after(chat, 0, 1).get(0).createdAt()).isEqualTo(at.truncatedTo(ChronoUnit.MILLIS));
        assertThat(stored.createdAt()).isEqualTo(at);
    }
}
