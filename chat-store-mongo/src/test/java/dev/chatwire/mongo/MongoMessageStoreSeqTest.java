package dev.chatwire.mongo;

import com.mongodb.client.MongoDatabase;
import dev.chatwire.core.Message;
import dev.chatwire.core.MessageDraft;
import dev.chatwire.core.spi.MessageStore.Appended;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Seq allocation and idempotency beyond the contract: several nodes, older stores' gaps, key collisions. */
class MongoMessageStoreSeqTest {

    @RegisterExtension
    static final TestMongo mongo = new TestMongo();

    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05.678Z");

    @Test
    void storesOnSeveralNodesAppendingToOneChatNeverShareASeq() throws Exception {
        MongoDatabase database = mongo.newDatabase();
        List<MongoMessageStore> nodes = List.of(MongoMessageStore.create(database), MongoMessageStore.create(database),
                MongoMessageStore.create(database));
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Callable<List<Long>>> senders = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                MongoMessageStore node = nodes.get(t % nodes.size());
                String sender = "user-" + t;
                senders.add(() -> {
                    List<Long> seqs = new ArrayList<>();
                    for (int i = 0; i < 20; i++) {
                        seqs.add(node.append(MessageDraft.text("busy", sender, "m" + i, null, T0)).message().seq());
                    }
                    return seqs;
                });
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> sent : pool.invokeAll(senders)) {
                assertThat(sent.get()).isSorted();
                all.addAll(sent.get());
            }
            assertThat(all).hasSize(120).doesNotHaveDuplicates();
            assertThat(nodes.get(0).after("busy", 0, 500)).extracting(Message::seq).isSorted()
                    .containsExactlyInAnyOrderElementsOf(all);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aNodeWhoseNextSeqWasTakenElsewhereTakesTheOneAfterTheHighest() {
        MongoDatabase database = mongo.newDatabase();
        MongoMessageStore here = MongoMessageStore.create(database);
        MongoMessageStore elsewhere = MongoMessageStore.create(database);
        here.append(MessageDraft.text("chat", "alice", "m1", null, T0));
        elsewhere.append(MessageDraft.text("chat", "bob", "m2", null, T0));
        elsewhere.append(MessageDraft.text("chat", "bob", "m3", null, T0));

        Appended next = here.append(MessageDraft.text("chat", "alice", "m4", "c-4", T0));

        assertThat(next.created()).isTrue();
        assertThat(next.message().seq()).isEqualTo(4);
        assertThat(here.after("chat", 0, 10)).extracting(Message::seq).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void aChatWrittenWithCounterEraGapsGoesOnAfterItsHighestSeq() {
        MongoDatabase database = mongo.newDatabase();
        MongoMessageStore store = MongoMessageStore.create(database);
        store.append(MessageDraft.text("chat", "alice", "m1", null, T0));
        // An older version allocated seqs from a counter and left a hole where an insert failed.
        database.getCollection(MongoMessageStore.MESSAGES).insertOne(new org.bson.Document("chatId", "chat")
                .append("seq", 3L).append("senderId", "alice").append("type", "text").append("text", "m3")
                .append("idempotencyKey", new org.bson.types.ObjectId())
                .append("createdAt", java.util.Date.from(T0)));

        Appended next = MongoMessageStore.create(database).append(MessageDraft.text("chat", "bob", "m4", null, T0));

        assertThat(next.message().seq()).isEqualTo(4);
        assertThat(store.after("chat", 0, 10)).extracting(Message::seq).containsExactly(1L, 3L, 4L);
    }

    @Test
    void aRetryOfAStoredSendIsAnsweredThroughTheUniqueIndexAndTakesNoSeq() {
        MongoDatabase database = mongo.newDatabase();
        MongoMessageStore store = MongoMessageStore.create(database);
        Message first = store.append(MessageDraft.text("chat", "alice", "once", "c-1", T0)).message();
        mongo.clearCommands(database);

        Appended retry = store.append(MessageDraft.text("chat", "alice", "once", "c-1", T0));
        Message next = store.append(MessageDraft.text("chat", "alice", "next", null, T0)).message();

        assertThat(retry.created()).isFalse();
        assertThat(retry.message()).isEqualTo(first);
        assertThat(next.seq()).isEqualTo(first.seq() + 1);
    }

    @Test
    void anAppendOrABatchToAChatThisNodeWroteToIsOneInsert() {
        MongoDatabase database = mongo.newDatabase();
        MongoMessageStore store = MongoMessageStore.create(database);
        store.append(MessageDraft.text("chat", "alice", "first", null, T0));
        mongo.clearCommands(database);

        store.append(MessageDraft.text("chat", "alice", "second", "c-2", T0));
        store.appendAll(java.util.stream.IntStream.range(0, 5)
                .mapToObj(i -> MessageDraft.text("chat", "bob", "batched " + i, "b-" + i, T0)).toList());

        assertThat(mongo.commands(database, "insert")).hasSize(2);
        assertThat(mongo.commands(database, "find")).isEmpty();
        assertThat(mongo.commands(database, "findAndModify")).isEmpty();
        assertThat(store.lastSeq("chat")).isEqualTo(7);
    }

    @Test
    void aClientMessageIdEqualToAnotherMessagesIdIsNoRetryOfIt() {
        MongoMessageStore store = MongoMessageStore.create(mongo.newDatabase());
        Message withoutKey = store.append(MessageDraft.text("chat", "alice", "first", null, T0)).message();

        Appended keyedLikeIt = store.append(MessageDraft.text("chat", "alice", "second", withoutKey.id(), T0));

        assertThat(keyedLikeIt.created()).isTrue();
        assertThat(store.after("chat", 0, 10)).extracting(Message::text).containsExactly("first", "second");
    }

    @Test
    void aLimitBelowOneIsRefused() {
        MongoMessageStore store = MongoMessageStore.create(mongo.newDatabase());
        assertThatThrownBy(() -> store.after("chat", 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.before("chat", 5, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
