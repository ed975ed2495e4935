package dev.chatwire.mongo;

import com.mongodb.client.MongoDatabase;
import dev.chatwire.core.Attachment;
import dev.chatwire.core.Message;
import dev.chatwire.core.MessageChange;
import dev.chatwire.core.MessageDraft;
import dev.chatwire.core.MessageType;
import dev.chatwire.core.TimelineEntry;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The documents behind the timeline: what older versions stored, change documents, reaction keys, round trips. */
class MongoTimelineLayoutTest {

    @RegisterExtension
    static final TestMongo mongo = new TestMongo();

    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05.678Z");
    private static final Instant T1 = T0.plusSeconds(60);
    private static final BsonDocument CHAT_SEQ_KEY = new BsonDocument("chatId", new BsonInt32(1))
            .append("seq", new BsonInt32(1));

    private MongoDatabase database;
    private MongoMessageStore store;

    @BeforeEach
    void store() {
        database = mongo.newDatabase();
        store = MongoMessageStore.create(database);
    }

    @Test
    void aMessageStoredByAnOlderVersionReadsUnchangedAndCanBeChanged() {
        ObjectId id = new ObjectId();
        database.getCollection(MongoMessageStore.MESSAGES).insertOne(new Document("_id", id)
                .append("chatId", "old-chat").append("seq", 1L).append("senderId", "alice").append("type", "image")
                .append("text", "caption")
                .append("attachment", new Document("mediaId", "m-1").append("mimeType", "image/png")
                        .append("size", 42L).append("name", "cat.png"))
                .append("clientMessageId", "c-1").append("idempotencyKey", "c-1")
                .append("createdAt", Date.from(T0)));
        Message asSent = new Message(id.toHexString(), "old-chat", 1, "alice", MessageType.IMAGE, "caption",
                new Attachment("m-1", "image/png", 42, "cat.png"), "c-1", T0);

        assertThat(store.find("old-chat", id.toHexString())).contains(asSent);
        assertThat(store.after("old-chat", 0, 10)).containsExactly(asSent);
        assertThat(store.before("old-chat", Long.MAX_VALUE, 10)).containsExactly(asSent);
        assertThat(store.timeline("old-chat", 0, 10)).containsExactly(new TimelineEntry(1, asSent));
        assertThat(store.newest(List.of("old-chat"))).containsExactly(Map.entry("old-chat", asSent));
        assertThat(store.unreadCounts("bob", Map.of("old-chat", 0L))).containsExactly(Map.entry("old-chat", 1L));

        TimelineEntry reacted = store.change("old-chat", id.toHexString(), new MessageChange.React("bob", "👍", true),
                T1).orElseThrow();

        assertThat(reacted.seq()).isEqualTo(2);
        assertThat(reacted.message()).isEqualTo(asSent.reacted("bob", "👍", true));
    }

    @Test
    void historySkipsChangeDocumentsEvenWhenTheyFillWholePages() {
        Message first = append("one");
        for (int i = 0; i < 5; i++) {
            store.change("chat", first.id(), new MessageChange.React("user" + i, "👍", true), T1).orElseThrow();
        }
        Message second = append("two");

        assertThat(second.seq()).isEqualTo(7);
        assertThat(store.after("chat", 0, 2)).extracting(Message::seq).containsExactly(1L, 7L);
        assertThat(store.after("chat", 1, 1)).extracting(Message::seq).containsExactly(7L);
        assertThat(store.before("chat", 7, 1)).extracting(Message::seq).containsExactly(1L);
        assertThat(store.before("chat", Long.MAX_VALUE, 2)).extracting(Message::seq).containsExactly(1L, 7L);
        assertThat(store.find("chat", first.id()).orElseThrow().reactions().get("👍")).hasSize(5);
        assertThat(store.lastSeq("chat")).isEqualTo(7);
        assertThat(store.lastSeqs(List.of("chat"))).containsExactly(Map.entry("chat", 7L));
    }

    @Test
    void aChangeIsStoredAsADocumentOfItsOwnAndItsIdIsNoMessage() {
        Message message = append("hi");
        store.change("chat", message.id(), new MessageChange.Edit("hello"), T1).orElseThrow();

        List<Document> changes = database.getCollection(MongoMessageStore.MESSAGES)
                .find(new Document("changeOf", new Document("$exists", true))).into(new ArrayList<>());

        assertThat(changes).singleElement().satisfies(change -> {
            assertThat(change.getString("chatId")).isEqualTo("chat");
            assertThat(change.get("seq")).isEqualTo(2L);
            assertThat(change.getObjectId("changeOf")).isEqualTo(new ObjectId(message.id()));
            assertThat(change.get("idempotencyKey")).isEqualTo(change.getObjectId("_id"));
            assertThat(change.getDate("createdAt")).isEqualTo(Date.from(T1));
            String changeId = change.getObjectId("_id").toHexString();
            assertThat(store.find("chat", changeId)).isEmpty();
            assertThat(store.change("chat", changeId, new MessageChange.Edit("x"), T1)).isEmpty();
        });
        Document stored = database.getCollection(MongoMessageStore.MESSAGES)
                .find(new Document("_id", new ObjectId(message.id()))).first();
        assertThat(stored.getString("text")).isEqualTo("hello");
        assertThat(stored.getDate("editedAt")).isEqualTo(Date.from(T1));
        assertThat(stored).doesNotContainKey("deleted");
    }

    @Test
    void emojiWithDotsDollarsAndPercentSignsAreKeptLiterally() {
        Message message = append("hi");
        List<String> emoji = List.of("a.b", "$where", "$", "%2E", "reactions.x", "👍", "a\0b");
        emoji.forEach(e -> store.change("chat", message.id(), new MessageChange.React("bob", e, true), T1)
                .orElseThrow());

        Map<String, List<String>> reactions = store.find("chat", message.id()).orElseThrow().reactions();

        assertThat(reactions.keySet()).containsExactlyElementsOf(emoji);
        assertThat(reactions.values()).allMatch(users -> users.equals(List.of("bob")));
        Document stored = database.getCollection(MongoMessageStore.MESSAGES)
                .find(new Document("_id", new ObjectId(message.id()))).first().get("reactions", Document.class);
        assertThat(stored.keySet()).hasSize(emoji.size())
                .noneMatch(key -> key.contains(".") || key.contains("$") || key.contains("\0"));
        store.change("chat", message.id(), new MessageChange.React("bob", "a.b", false), T1).orElseThrow();
        assertThat(store.find("chat", message.id()).orElseThrow().reactions()).doesNotContainKey("a.b").hasSize(6);
    }

    @Test
    void aTimelinePageIsTwoQueriesAndUnreadCountsAreOneAggregate() {
        Message first = append("one");
        append("two");
        store.change("chat", first.id(), new MessageChange.Edit("one, edited"), T1).orElseThrow();
        store.append(MessageDraft.text("other", "bob", "elsewhere", null, T0));
        mongo.clearCommands(database);

        assertThat(store.timeline("chat", 0, 10)).hasSize(3);
        assertThat(mongo.commands(database, "find")).hasSize(2);
        mongo.clearCommands(database);

        assertThat(store.unreadCounts("bob", Map.of("chat", 0L, "other", 0L, "none", 0L)))
                .containsOnly(Map.entry("chat", 2L), Map.entry("other", 0L), Map.entry("none", 0L));
        assertThat(mongo.commands(database, "aggregate")).hasSize(1);
        assertThat(mongo.commands(database, "find")).isEmpty();
    }

    @Test
    void newestIsOneAggregateOneFindOfTheLastEntriesAndALookBackOnlyForAChatEndingInChanges() {
        Message first = append("one");
        Message second = append("two");
        for (int i = 0; i < 3; i++) {
            store.change("chat", first.id(), new MessageChange.React("user" + i, "👍", true), T1).orElseThrow();
        }
        Message elsewhere = store.append(MessageDraft.text("other", "bob", "elsewhere", null, T0)).message();
        mongo.clearCommands(database);

        Map<String, Message> newest = store.newest(List.of("none", "chat", "other", "chat"));

        assertThat(newest).containsExactly(Map.entry("chat", second), Map.entry("other", elsewhere));
        assertThat(mongo.commands(database, "aggregate")).hasSize(1);
        List<BsonDocument> finds = mongo.commands(database, "find");
        assertThat(finds).hasSize(2).allSatisfy(find -> assertThat(find.get("hint")).isEqualTo(CHAT_SEQ_KEY));
        assertThat(finds.get(0).getDocument("filter").getArray("$or")).hasSize(2);
        assertThat(finds.get(1).toJson()).contains("\"chatId\": \"chat\"").contains("\"$lt\": 5");
    }

    @Test
    void newestOfChatsWithoutEntriesIsOneAggregateAndOfNoChatsNothing() {
        assertThat(store.newest(List.of("none", "empty"))).isEmpty();
        assertThat(store.newest(List.of())).isEmpty();

        assertThat(mongo.commands(database, "aggregate")).hasSize(1);
        assertThat(mongo.commands(database, "find")).isEmpty();
    }

    private Message append(String text) {
        return store.append(MessageDraft.text("chat", "alice", text, null, T0)).message();
    }
}
