package dev.chatwire.mongo;

import com.mongodb.MongoException;
import com.mongodb.ReadPreference;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.CreateIndexOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import dev.chatwire.core.spi.HealthCheck;
import dev.chatwire.core.spi.ReadStateStore;
import dev.chatwire.core.spi.UnavailableException;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ReadStateStore} on MongoDB: one document per chat and user, holding the highest seq the user has read.
 *
 * <p>Collection (its name after {@link MongoStoreOptions#collectionPrefix()}):
 * <pre>
 * reads  { _id: ObjectId,
 *          chatId: String, userId: String,
 *          seq: Int64 }                        // the highest seq marked read
 *   index { chatId: 1, userId: 1 }   unique: one document per chat and user; serves marks, and readSeqs by its prefix
 * </pre>
 *
 * <p>A mark is one upsert ({@code findOneAndUpdate} with {@code $max} on the seq, returning the document after it),
 * so a read seq never moves back, whatever order concurrent marks from many nodes reach the server in. Two first
 * marks of one chat and user at once may both try to insert: the unique index refuses one, and its retry then
 * updates the document the other stored. Chat and user ids are only ever values compared for equality, never part
 * of a query or update document's structure.
 *
 * <p>Thread-safe. Every method blocks on MongoDB and throws {@link UnavailableException}, with the driver's exception
 * as cause, when it fails or does not answer in time; see {@link MongoMessageStore} for the timeouts and the client
 * settings to use. The index is created when the store is created; creating it again is harmless.
 */
public final class MongoReadStateStore implements ReadStateStore, HealthCheck {

    /** The base name of the read-state collection. */
    public static final String READS = "reads";

    static final Bson CHAT_USER_INDEX = Indexes.ascending("chatId", "userId");

    private final MongoDatabase database;
    private final MongoCollection<Document> reads;
    private final long maxTimeMillis;

    private MongoReadStateStore(MongoDatabase database, MongoStoreOptions options) {
        this.database = database;
        this.reads = database.getCollection(options.name(READS))
                .withWriteConcern(options.writeConcern())
                .withReadPreference(ReadPreference.primary());
        this.maxTimeMillis = options.maxTimeMillis();
    }

    /**
     * A store with {@link MongoStoreOptions#defaults()}, its index created.
     *
     * @param database owned by the host, which closes its client; the store never does
     * @throws UnavailableException if the index cannot be created
     */
    public static MongoReadStateStore create(MongoDatabase database) {
        return create(database, MongoStoreOptions.defaults());
    }

    /**
     * A store with the given options, its index created.
     *
     * @param database owned by the host, which closes its client; the store never does
     * @throws UnavailableException if the index cannot be created
     */
    public static MongoReadStateStore create(MongoDatabase database, MongoStoreOptions options) {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(options, "options");
        MongoReadStateStore store = new MongoReadStateStore(database, options);
        store.createIndexes();
        return store;
    }

    /**
     * Creates the index this store relies on; harmless when it exists.
     *
     * @throws UnavailableException if MongoDB fails
     */
    public void createIndexes() {
        try {
            reads.createIndexes(List.of(new IndexModel(CHAT_USER_INDEX, new IndexOptions().unique(true))),
                    new CreateIndexOptions().maxTime(maxTimeMillis, TimeUnit.MILLISECONDS));
        } catch (MongoException e) {
            throw MongoFailures.unavailable("index creation on " + reads.getNamespace(), e);
        }
    }

    @Override
    public long markRead(String chatId, String userId, long seq) {
        Objects.requireNonNull(chatId, "chatId");
        Objects.requireNonNull(userId, "userId");
        if (seq < 0) {
            throw new IllegalArgumentException("seq must not be negative, was " + seq);
        }
        Bson filter = Filters.and(Filters.eq("chatId", chatId), Filters.eq("userId", userId));
        FindOneAndUpdateOptions upsert = new FindOneAndUpdateOptions().upsert(true)
                .returnDocument(ReturnDocument.AFTER)
                .projection(Projections.include("seq"))
                .maxTime(maxTimeMillis, TimeUnit.MILLISECONDS);
        try {
            try {
                return seqOf(reads.findOneAndUpdate(filter, Updates.max("seq", seq), upsert));
            } catch (MongoException e) {
                if (!MongoFailures.isDuplicateKey(e)) {
                    throw e;
                }
                // Another mark inserted the document between this upsert's lookup and its insert: now it matches.
                return seqOf(reads.findOneAndUpdate(filter, Updates.max("seq", seq), upsert));
            }
        } catch (MongoException e) {
            throw MongoFailures.unavailable("read mark", e);
        }
    }

    /** One {@code find} with {@code chatId $in}, along the unique index's {@code chatId} prefix. */
    @Override
    public Map<String, Map<String, Long>> readSeqs(Collection<String> chatIds) {
        Map<String, Map<String, Long>> seqs = new LinkedHashMap<>();
        chatIds.forEach(chatId -> seqs.put(Objects.requireNonNull(chatId, "chatId"), new LinkedHashMap<>()));
        if (seqs.isEmpty()) {
            return seqs;
        }
        try {
            reads.find(Filters.in("chatId", seqs.keySet()))
                    .projection(Projections.fields(Projections.include("chatId", "userId", "seq"),
                            Projections.excludeId()))
                    .hint(CHAT_USER_INDEX)
                    .maxTime(maxTimeMillis, TimeUnit.MILLISECONDS)
                    .forEach(document -> seqs.get(document.getString("chatId"))
                            .put(document.getString("userId"), seqOf(document)));
        } catch (MongoException e) {
            throw MongoFailures.unavailable("read-state query", e);
        }
        seqs.replaceAll((chatId, users) -> Map.copyOf(users));
        return seqs;
    }

    private static long seqOf(Document document) {
        return document.get("seq", Number.class).longValue();
    }

    /** Pings the store's MongoDB: one round trip, bounded by the client's server selection and socket timeouts. */
    @Override
    public Health checkHealth() {
        return MongoPing.ping(database);
    }
}
