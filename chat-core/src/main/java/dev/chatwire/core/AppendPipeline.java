package dev.chatwire.core;

import dev.chatwire.core.spi.MessageStore;
import dev.chatwire.core.spi.MessageStore.Appended;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Group commit per chat: sends to one chat queue up, and one sender at a time, the leader, stores everything queued
 * with one {@link MessageStore#appendAll} and hands each stored message to {@code published} in seq order. The
 * other senders wait for their result. Then the leader passes the lead to the oldest waiting sender, if any, whose
 * own draft is next in the queue; so every sender leads at most once, for one batch that holds its own draft.
 *
 * <p>No lock is held across the store call or the publishing: a monitor guards only the queue. A chat's batches
 * never overlap on this node, so this node publishes a chat's messages in seq order; the more senders wait on a
 * slow store, the larger the next batch, so a chat's throughput grows with load instead of being one message per
 * store round trip.
 */
final class AppendPipeline {

    /** Publishes one stored message; runs on the leader's thread, in seq order within the chat. */
    interface Publisher {
        void publish(Appended appended, Consumer<String> onStored);
    }

    private static final Object LEAD = new Object();

    private final MessageStore store;
    private final Publisher publisher;
    private final int maxBatch;
    private final Map<String, ChatQueue> queues = new ConcurrentHashMap<>();

    AppendPipeline(MessageStore store, Publisher publisher, int maxBatch) {
        this.store = store;
        this.publisher = publisher;
        this.maxBatch = maxBatch;
    }

    /**
     * Stores a draft in its chat's next batch and publishes it; blocks until it is stored.
     *
     * @param onStored gets the stored message's JSON before the message is published, on whichever thread leads
     *                 the batch: it must only hand the text on
     * @throws dev.chatwire.core.spi.UnavailableException if the store failed the batch
     */
    Appended append(MessageDraft draft, Consumer<String> onStored) {
        Pending mine = new Pending(draft, onStored);
        ChatQueue[] joined = new ChatQueue[1];
        boolean[] leads = new boolean[1];
        // Queued inside the map's atomic section, so that no draft lands in a queue that went idle and was dropped.
        queues.compute(draft.chatId(), (chatId, queue) -> {
            joined[0] = queue == null ? new ChatQueue() : queue;
            leads[0] = joined[0].enqueue(mine);
            return joined[0];
        });
        ChatQueue queue = joined[0];
        if (!leads[0]) {
            Object outcome = mine.await();
            if (outcome != LEAD) {
                return (Appended) outcome;
            }
        }
        return lead(draft.chatId(), queue, mine);
    }

    /** How many drafts of a chat wait for a batch; for tests. */
    int waiting(String chatId) {
        ChatQueue queue = queues.get(chatId);
        return queue == null ? 0 : queue.waiting();
    }

    /**
     * Stores and publishes one batch, then passes the lead on or lets the chat go idle. The leader's own draft is the
     * oldest queued, so the batch starts with it.
     *
     * @return the leader's own stored message
     */
    private Appended lead(String chatId, ChatQueue queue, Pending leader) {
        List<Pending> batch = queue.takeBatch(maxBatch);
        assert batch.get(0) == leader;
        // Socket writes start only once the lead has passed on: a write that blocks holds up no other sender.
        try (WriteBatch writes = WriteBatch.open()) {
            try {
                List<Appended> stored = store.appendAll(batch.stream().map(Pending::draft).toList());
                for (int i = 0; i < batch.size(); i++) {
                    publisher.publish(stored.get(i), batch.get(i).onStored());
                    if (i > 0) {
                        batch.get(i).outcome().complete(stored.get(i));
                    }
                }
                return stored.get(0);
            } catch (RuntimeException e) {
                batch.subList(1, batch.size()).forEach(pending -> pending.outcome().completeExceptionally(e));
                throw e;
            } finally {
                Pending next = queue.nextLeaderOrIdle();
                if (next != null) {
                    next.outcome().complete(LEAD);
                } else {
                    queues.computeIfPresent(chatId, (id, current) -> current.isIdle() ? null : current);
                }
            }
        }
    }

    /** A draft waiting for its batch, and how its sender learns the outcome or that it leads next. */
    private record Pending(MessageDraft draft, Consumer<String> onStored, CompletableFuture<Object> outcome) {
        Pending(MessageDraft draft, Consumer<String> onStored) {
            this(draft, onStored, new CompletableFuture<>());
        }

        /** The stored message, or {@link #LEAD}; rethrows the store's failure. */
        Object await() {
            try {
                return outcome.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException failure) {
                    throw failure;
                }
                throw e;
            }
        }
    }

    /** One chat's waiting drafts, and whether a sender leads a batch of it now. */
    private static final class ChatQueue {
        private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
        private boolean leading;

        /** Queues a draft; {@code true} if the chat was idle and its sender leads the next batch. */
        synchronized boolean enqueue(Pending pending) {
            waiting.add(pending);
            if (leading) {
                return false;
            }
            leading = true;
            return true;
        }

        synchronized List<Pending> takeBatch(int max) {
            List<Pending> batch = new ArrayList<>(Math.min(max, waiting.size()));
            while (batch.size() < max && !waiting.isEmpty()) {
                batch.add(waiting.poll());
            }
            return batch;
        }

        synchronized int waiting() {
            return waiting.size();
        }

        synchronized boolean isIdle() {
            return !leading && waiting.isEmpty();
        }

        /** The sender to lead next (the oldest waiting), or {@code null} when nothing waits and the chat is idle. */
        synchronized Pending nextLeaderOrIdle() {
            Pending next = waiting.peek();
            if (next == null) {
                leading = false;
            }
            return next;
        }
    }
}
