package dev.chatwire.testing;

import de.bwaldvogel.mongo.bson.Document;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The stand-in's shim turns only an {@code $and} of plain equalities into the flat query an index answers. */
class IndexedMemoryBackendTest {

    @Test
    void anAndOfEqualitiesOnDistinctFieldsBecomesTheFlatQuery() {
        Document query = new Document("$and", List.of(new Document("chatId", "c1"), new Document("senderId", "u1"),
                new Document("idempotencyKey", "k1")));

        assertThat(IndexedMemoryBackend.flattened(query)).isEqualTo(new Document("chatId", "c1")
                .append("senderId", "u1").append("idempotencyKey", "k1"));
    }

    @Test
    void anAndWithAnOperatorOrARepeatedFieldIsLeftAsItIs() {
        Document range = new Document("$and", List.of(new Document("chatId", "c1"),
                new Document("seq", new Document("$gt", 5))));
        Document repeated = new Document("$and", List.of(new Document("chatId", "c1"), new Document("chatId", "c2")));

        assertThat(IndexedMemoryBackend.flattened(range)).isSameAs(range);
        assertThat(IndexedMemoryBackend.flattened(repeated)).isSameAs(repeated);
    }

    @Test
    void aQueryThatIsNoAndIsLeftAsItIs() {
        Document flat = new Document("_id", "c1");

        assertThat(IndexedMemoryBackend.flattened(flat)).isSameAs(flat);
    }
}
