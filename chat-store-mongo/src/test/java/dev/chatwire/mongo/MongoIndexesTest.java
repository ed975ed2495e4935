package dev.chatwire.mongo;

import com.mongodb.client.MongoDatabase;
import dev.chatwire.core.MessageDraft;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MongoIndexesTest {

    @RegisterExtension
    static final TestMongo mongo = new TestMongo();

    /** Index key as JSON, and whether it is unique, for every index but {@code _id}. */
    private static Map<String, Boolean> indexes(MongoDatabase database, String collection) {
        List<Document> listed = database.getCollection(collection).listIndexes().into(new ArrayList<>());
        return listed.stream().filter(index -> !index.getString("name").equals("_id_"))
                .collect(java.util.stream.Collectors.toMap(index -> index.get("key", Document.class).toJson(),
                        index -> index.getBoolean("unique", false)));
    }

    private static void assertEveryIndex(MongoDatabase database, String prefix) {
        assertThat(indexes(database, prefix + "messages")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "{\"chatId\": 1, \"seq\": 1}", true,
                "{\"chatId\": 1, \"senderId\": 1, \"idempotencyKey\": 1}", true,
                "{\"chatId\": 1, \"attachment.mediaId\": 1}", false));
        assertThat(indexes(database, prefix + "chats")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "{\"participants\": 1, \"createdAt\": 1, \"_id\": 1}", false,
                "{\"participants\": 1, \"activityAt\": -1, \"_id\": -1}", false));
        assertThat(indexes(database, prefix + "media.chunks")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "{\"files_id\": 1, \"n\": 1}", true));
        assertThat(indexes(database, prefix + "media.files")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "{\"filename\": 1, \"uploadDate\": 1}", false,
                "{\"metadata.ownerId\": 1, \"length\": 1}", false));
        assertThat(indexes(database, prefix + "reads")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "{\"chatId\": 1, \"userId\": 1}", true));
    }

    @Test
    void creatingTheStoresCreatesEveryIndex() {
        MongoDatabase database = mongo.newDatabase();

        MongoMessageStore.create(database);
        MongoChatStore.create(database);
        GridFsMediaStore.create(database);
        MongoReadStateStore.create(database);

        assertEveryIndex(database, "");
        Document byMedia = database.getCollection("messages").listIndexes().into(new ArrayList<>()).stream()
                .filter(index -> index.get("key", Document.class).containsKey("attachment.mediaId")).findFirst()
                .orElseThrow();
        assertThat(byMedia.get("partialFilterExpression", Document.class).toJson())
                .isEqualTo("{\"attachment.mediaId\": {\"$exists\": true}}");
    }

    @Test
    void creatingTheStoresAgainOverExistingDataIsHarmless() {
        MongoDatabase database = mongo.newDatabase();
        MongoMessageStore first = MongoMessageStore.create(database);
        MongoChatStore.create(database).create("alice", java.util.Set.of("alice"), null, Instant.EPOCH);
        first.append(MessageDraft.text("chat-1", "alice", "hello", "c-1", Instant.EPOCH));

        MongoMessageStore second = MongoMessageStore.create(database);
        second.createIndexes();
        MongoChatStore.create(database).createIndexes();
        GridFsMediaStore.create(database).createIndexes();
        GridFsMediaStore.create(database).createIndexes();
        MongoReadStateStore.create(database).markRead("chat-1", "alice", 1);
        MongoReadStateStore.create(database).createIndexes();

        assertEveryIndex(database, "");
        assertThat(second.after("chat-1", 0, 10)).extracting(m -> m.text()).containsExactly("hello");
    }

    @Test
    void aCollectionPrefixNamesEveryCollectionAndBucket() {
        MongoDatabase database = mongo.newDatabase();
        MongoStoreOptions options = MongoStoreOptions.defaults().withCollectionPrefix("app_");

        MongoMessageStore.create(database, options).append(MessageDraft.text("c", "alice", "x", null, Instant.EPOCH));
        MongoChatStore.create(database, options);
        GridFsMediaStore.create(database, options);
        MongoReadStateStore.create(database, options).markRead("c", "alice", 1);

        assertEveryIndex(database, "app_");
        assertThat(database.listCollectionNames().into(new ArrayList<>())).allMatch(name -> name.startsWith("app_"))
                .contains("app_messages");
    }
}
