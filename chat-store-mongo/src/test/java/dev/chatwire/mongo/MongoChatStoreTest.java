package dev.chatwire.mongo;

import com.mongodb.client.MongoDatabase;
import dev.chatwire.core.Chat;
import dev.chatwire.core.contract.ChatStoreContract;
import dev.chatwire.core.spi.ChatStore;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MongoChatStoreTest extends ChatStoreContract {

    @RegisterExtension
    static final TestMongo mongo = new TestMongo();

    @Override
    protected ChatStore newStore() {
        return MongoChatStore.create(mongo.newDatabase());
    }

    @Test
    void aDocumentStoredBeforeOwnersExistedLoadsAsAChatWithoutOwnerAdminsOrConsent() {
        MongoDatabase database = mongo.newDatabase();
        MongoChatStore store = MongoChatStore.create(database);
        ObjectId id = new ObjectId();
        database.getCollection(MongoStoreOptions.defaults().name(MongoChatStore.CHATS))
                .insertOne(new Document("_id", id)
                        .append("participants", List.of("alice", "bob", "carol"))
                        .append("createdAt", Date.from(Instant.parse("2025-06-01T00:00:00Z"))));

        Chat old = store.find(id.toHexString()).orElseThrow();
        assertThat(old.owner()).isNull();
        assertThat(old.admins()).isEmpty();
        assertThat(old.accepted()).isEmpty();
        assertThat(old.isManagedBy("alice")).isFalse();
        assertThat(store.chatsOf("bob")).containsExactly(old);

        assertThat(store.accept(id.toHexString(), "bob").orElseThrow().accepted()).containsExactly("bob");
        assertThat(store.removeParticipant(id.toHexString(), "carol").orElseThrow().participants())
                .containsExactly("alice", "bob");
    }

    @Test
    void aDocumentStoredBeforeJoinSeqsExistedReadsAsZeroForEveryoneAndTakesNewOnes() {
        MongoDatabase database = mongo.newDatabase();
        MongoChatStore store = MongoChatStore.create(database);
        ObjectId id = new ObjectId();
        database.getCollection(MongoStoreOptions.defaults().name(MongoChatStore.CHATS))
                .insertOne(new Document("_id", id)
                        .append("participants", List.of("alice", "bob"))
                        .append("createdAt", Date.from(Instant.parse("2025-06-01T00:00:00Z")))
                        .append("owner", "alice"));

        Chat old = store.find(id.toHexString()).orElseThrow();
        assertThat(old.joinSeqs()).isEmpty();
        assertThat(old.joinSeqOf("bob")).isZero();

        assertThat(store.removeParticipant(id.toHexString(), "bob").orElseThrow().joinSeqs()).isEmpty();
        assertThat(store.addParticipant(id.toHexString(), "carol", 17).orElseThrow().joinSeqOf("carol"))
                .isEqualTo(17);
    }
}
