package dev.chatwire.core;

import dev.chatwire.core.memory.InMemoryMessageStore;
import dev.chatwire.core.spi.MessageStore.Appended;
import dev.chatwire.core.spi.UnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class AppendPipelineTest {

    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");

    private final ExecutorService senders = Executors.newCachedThreadPool();
    private final List<Message> published = new CopyOnWriteArrayList<>();
    private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstBatchMayFinish = new CountDownLatch(1);
    private final AtomicInteger batchesStarted = new AtomicInteger();
    private volatile RuntimeException failNextBatch;

    /** An in-memory store whose first batch waits for the test, as a slow store's round trip would. */
    private final DelegatingMessageStore store = new DelegatingMessageStore(new InMemoryMessageStore()) {
        @Override
        public List<Appended> appendAll(List<MessageDraft> drafts) {
            batchSizes.add(drafts.size());
            if (batchesStarted.incrementAndGet() == 1) {
                awaitQuietly(firstBatchMayFinish);
            }
            RuntimeException failure = failNextBatch;
            if (failure != null) {
                failNextBatch = null;
                throw failure;
            }
            return super.appendAll(drafts);
        }
    };
    private final AppendPipeline pipeline = new AppendPipeline(store,
            (appended, onStored) -> published.add(appended.message()), 100);

    @AfterEach
    void stop() {
        firstBatchMayFinish.countDown();
        senders.shutdownNow();
    }

    private CompletableFuture<Appended> sendAsync(String chatId, String text) {
        return CompletableFuture.supplyAsync(() -> pipeline.append(
                MessageDraft.text(chatId, "alice", text, null, T0), json -> { }), senders);
    }

    @Test
    void sendsThatQueueBehindASlowBatchAreStoredTogetherInTheNextOneAndPublishedInSeqOrder() {
        CompletableFuture<Appended> first = sendAsync("chat", "first");
        await().until(() -> batchesStarted.get() == 1);
        List<CompletableFuture<Appended>> queued = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            queued.add(sendAsync("chat", "queued " + i));
        }
        // Their senders are all waiting in the queue before the first batch ends.
        await().until(() -> ((java.util.concurrent.ThreadPoolExecutor) senders).getActiveCount() == 21
                && pipelineQueueLength("chat") == 20);

        firstBatchMayFinish.countDown();

        assertThat(first.join().message().text()).isEqualTo("first");
        queued.forEach(sent -> assertThat(sent.join().created()).isTrue());
        assertThat(batchSizes).containsExactly(1, 20);
        assertThat(published).extracting(Message::seq).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, 21).boxed().toList());
        for (int i = 0; i < 20; i++) {
            assertThat(queued.get(i).join().message().text()).isEqualTo("queued " + i);
        }
    }

    @Test
    void anotherChatIsNotHeldUpByAChatWhoseBatchWaitsOnTheStore() throws Exception {
        CompletableFuture<Appended> slow = sendAsync("slow", "waits");
        await().until(() -> batchesStarted.get() == 1);

        Appended other = sendAsync("other", "goes through").get(10, TimeUnit.SECONDS);

        assertThat(other.message().seq()).isEqualTo(1);
        assertThat(slow).isNotDone();
    }

    @Test
    void aFailedBatchFailsEverySenderInItAndTheNextBatchIsStored() {
        CompletableFuture<Appended> first = sendAsync("chat", "first");
        await().until(() -> batchesStarted.get() == 1);
        failNextBatch = new UnavailableException("store down");
        firstBatchMayFinish.countDown();
        assertThatThrownBy(first::join).hasCauseInstanceOf(UnavailableException.class);

        Appended after = sendAsync("chat", "after the outage").join();

        assertThat(after.message().seq()).isEqualTo(1);
        assertThat(published).extracting(Message::text).containsExactly("after the outage");
    }

    private int pipelineQueueLength(String chatId) {
        return pipeline.waiting(chatId);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("the test never let the batch finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
