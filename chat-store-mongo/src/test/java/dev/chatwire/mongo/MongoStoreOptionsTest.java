package dev.chatwire.mongo;

import com.mongodb.WriteConcern;
import com.mongodb.client.MongoDatabase;
import dev.chatwire.core.Chat;
import dev.chatwire.core.MediaInfo;
import dev.chatwire.core.MediaUpload;
import dev.chatwire.core.MessageDraft;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MongoStoreOptionsTest {

    @RegisterExtension
    static final TestMongo mongo = new TestMongo();

    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05.678Z");
    private static final List<String> WRITES = List.of("insert", "delete", "findAndModify", "createIndexes");

    /** Exercises every write and read path of the three stores. */
    private static void useEveryStore(MongoDatabase database, MongoStoreOptions options) {
        MongoMessageStore messages = MongoMessageStore.create(database, options);
        MongoChatStore chats = MongoChatStore.create(database, options);
        GridFsMediaStore media = GridFsMediaStore.create(database, options);

        messages.append(MessageDraft.text("chat-1", "alice", "hi", "c-1", T0));
        messages.append(MessageDraft.text("chat-1", "alice", "hi", "c-1", T0));
        // Another node's append makes this store's next seq collide, so it reads the highest seq again.
        MongoMessageStore.create(database, options).append(MessageDraft.text("chat-1", "bob", "elsewhere", null, T0));
        messages.append(MessageDraft.text("chat-1", "alice", "again", null, T0));
        messages.after("chat-1", 0, 10);
        messages.before("chat-1", 10, 10);
        messages.lastSeq("chat-1");
        Chat chat = chats.create("alice", Set.of("alice"), null, T0);
        chats.addParticipant(chat.id(), "bob", 0);
        chats.removeParticipant(chat.id(), "bob");
        chats.chatsOf("alice");
        chats.find(chat.id());
        MediaInfo info = media.put(new MediaUpload("chat-1", "alice", null, "image/png", T0),
                new ByteArrayInputStream(new byte[300_000]), 1_000_000);
        media.find(info.id());
        media.delete(info.id());
    }

    private static List<BsonDocument> writes(MongoDatabase database) {
        List<BsonDocument> writes = new ArrayList<>();
        WRITES.forEach(name -> writes.addAll(mongo.commands(database, name)));
        assertThat(writes).extracting(BsonDocument::getFirstKey).containsAll(WRITES);
        return writes;
    }

    @Test
    void everyWriteIsMajorityJournaledWithATimeoutByDefault() {
        MongoDatabase database = mongo.newDatabase();

        useEveryStore(database, MongoStoreOptions.defaults());

        assertThat(writes(database)).allSatisfy(write -> assertThat(write.getDocument("writeConcern", null))
                .as("%s", write).isEqualTo(BsonDocument.parse("{w: 'majority', j: true, wtimeout: 5000}")));
    }

    @Test
    void everyWriteCarriesTheHostsWriteConcern() {
        MongoDatabase database = mongo.newDatabase();

        useEveryStore(database, MongoStoreOptions.defaults()
                .withWriteConcern(WriteConcern.W1.withWTimeout(1500, TimeUnit.MILLISECONDS)));

        assertThat(writes(database)).allSatisfy(write -> assertThat(write.getDocument("writeConcern", null))
                .as("%s", write).isEqualTo(BsonDocument.parse("{w: 1, wtimeout: 1500}")));
    }

    @Test
    void everyStoreQueryAndFindAndModifyCarriesTheMaxTime() {
        MongoDatabase database = mongo.newDatabase();

        useEveryStore(database, MongoStoreOptions.defaults().withMaxTime(Duration.ofMillis(1234)));

        List<BsonDocument> limited = new ArrayList<>(mongo.commands(database, "findAndModify"));
        mongo.commands(database, "find").stream()
                // The GridFS driver's own probe whether the bucket is empty, before the first upload.
                .filter(find -> !find.getDocument("filter").isEmpty())
                .forEach(limited::add);
        assertThat(limited).hasSizeGreaterThan(8).allSatisfy(command ->
                assertThat(command.getNumber("maxTimeMS", null)).as("%s", command).isNotNull()
                        .satisfies(ms -> assertThat(ms.longValue()).isEqualTo(1234)));
    }

    @Test
    void optionsThatWouldBreakTheGuaranteesAreRefused() {
        MongoStoreOptions defaults = MongoStoreOptions.defaults();
        assertThatThrownBy(() -> defaults.withWriteConcern(WriteConcern.UNACKNOWLEDGED))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> defaults.withMaxTime(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> defaults.withCollectionPrefix("$cmd")).isInstanceOf(IllegalArgumentException.class);
        assertThat(defaults.withCollectionPrefix("app_").withMaxTime(Duration.ofSeconds(1)))
                .isEqualTo(new MongoStoreOptions("app_", MongoStoreOptions.DEFAULT_WRITE_CONCERN,
                        Duration.ofSeconds(1)));
        assertThat(defaults).isEqualTo(MongoStoreOptions.defaults());
    }
}
