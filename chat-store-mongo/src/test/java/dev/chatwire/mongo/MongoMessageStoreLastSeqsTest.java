package dev.chatwire.mongo;

import com.mongodb.client.MongoDatabase;
import dev.chatwire.core.MessageDraft;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link MongoMessageStore#lastSeqs}: one round trip for any number of chats, whatever their history. */
class MongoMessageStoreLastSeqsTest {

    @RegisterExtension
    static final TestMongo mongo = new TestMongo();

    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05.678Z");

    @Test
    void lastSeqsOfManyChatsIsOneCommandToTheServer() {
        MongoDatabase database = mongo.newDatabase();
        MongoMessageStore store = MongoMessageStore.create(database);
        List<String> chatIds = new ArrayList<>();
        for (int chat = 0; chat < 12; chat++) {
            chatIds.add("chat-" + chat);
            for (int i = 0; i < chat % 4; i++) {
                store.append(MessageDraft.text("chat-" + chat, "alice", "m" + i, null, T0));
            }
        }
        mongo.clearCommands(database);

        Map<String, Long> seqs = store.lastSeqs(chatIds);

        assertThat(seqs).hasSize(12).containsEntry("chat-0", 0L).containsEntry("chat-3", 3L)
                .containsEntry("chat-6", 2L);
        assertThat(mongo.commands(database, "find")).isEmpty();
        List<BsonDocument> aggregates = mongo.commands(database, "aggregate");
        assertThat(aggregates).hasSize(1);
    }

    @Test
    void lastSeqsOfNoChatsSendsNothing() {
        MongoDatabase database = mongo.newDatabase();
        MongoMessageStore store = MongoMessageStore.create(database);
        mongo.clearCommands(database);

        assertThat(store.lastSeqs(List.of())).isEmpty();
        assertThat(mongo.commands(database, "aggregate")).isEmpty();
        assertThat(mongo.commands(database, "find")).isEmpty();
    }
}
