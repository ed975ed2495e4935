package dev.chatwire.testing;

import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.Document;

import java.util.List;

/**
 * mongo-java-server's memory backend with one shim: a query that is an {@code $and} of plain equalities is answered
 * as the flat document of those equalities, which the backend looks up through a unique index whose keys it names.
 * The backend only uses an index for a query whose keys are exactly the index's; the driver sends Chatwire's
 * idempotency lookup ({@code chatId}, {@code senderId}, {@code idempotencyKey}) as an {@code $and}, which it would
 * otherwise answer by scanning every stored message (21 ms at 50,000 messages), where a real server uses the index.
 * Nothing else changes: other queries, and {@code $and}s with operators or repeated fields, go through as sent.
 *
 * <p>It also outlives the server it serves, so that a server started again on it finds the data, as a restarted
 * {@code mongod} would.
 */
final class IndexedMemoryBackend extends MemoryBackend {

    @Override
    public void close() {
        // MongoServer.shutdown closes its backend; this one outlives the server, and the heap reclaims it.
    }

    @Override
    public MemoryDatabase openOrCreateDatabase(String databaseName) {
        return new MemoryDatabase(databaseName, getCursorRegistry()) {
            @Override
            protected MemoryCollection openOrCreateCollection(String collectionName, CollectionOptions options) {
                return new MemoryCollection(this, collectionName, options, cursorRegistry) {
                    @Override
                    protected QueryResult queryDocuments(Document query, Document orderBy, int skip, int limit,
                                                         int batchSize, Document fieldSelector) {
                        return super.queryDocuments(flattened(query), orderBy, skip, limit, batchSize, fieldSelector);
                    }
                };
            }
        };
    }

    /** The flat form of an {@code $and} of plain equalities on distinct fields; any other query as it is. */
    static Document flattened(Document query) {
        if (query.size() != 1 || !(query.get("$and") instanceof List<?> terms) || terms.isEmpty()) {
            return query;
        }
        Document flat = new Document();
        for (Object term : terms) {
            if (!(term instanceof Document equality) || equality.size() != 1) {
                return query;
            }
            String field = equality.keySet().iterator().next();
            Object value = equality.get(field);
            boolean operator = field.startsWith("$") || value instanceof Document || value instanceof List<?>;
            if (operator || flat.containsKey(field)) {
                return query;
            }
            flat.put(field, value);
        }
        return flat;
    }
}
