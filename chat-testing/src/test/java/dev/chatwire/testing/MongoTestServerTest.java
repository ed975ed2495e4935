package dev.chatwire.testing;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The driver finds by a unique index's fields what it stored, and finds it again after a restart. */
class MongoTestServerTest {

    @Test
    void documentsFoundByAnAndOfEqualitiesSurviveARestart() {
        try (MongoTestServer server = MongoTestServer.start();
             MongoClient client = MongoClients.create(MongoClientSettings.builder()
                     .applyConnectionString(new ConnectionString(server.connectionString()))
                     .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(2, TimeUnit.SECONDS))
                     .build())) {
            MongoCollection<Document> messages = client.getDatabase("test").getCollection("messages");
            messages.createIndex(Indexes.ascending("chatId", "key"), new IndexOptions().unique(true));
            messages.insertOne(new Document("chatId", "c1").append("key", "k1").append("text", "hello"));
            messages.insertOne(new Document("chatId", "c1").append("key", "k2").append("text", "other"));

            server.stop();
            assertThatThrownBy(() -> messages.countDocuments()).isInstanceOf(RuntimeException.class);
            server.restart();

            Document found = messages.find(Filters.and(Filters.eq("chatId", "c1"), Filters.eq("key", "k1"))).first();

            assertThat(found).isNotNull();
            assertThat(found.getString("text")).isEqualTo("hello");
        }
    }
}
