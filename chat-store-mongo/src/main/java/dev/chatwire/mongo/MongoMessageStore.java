package dev.chatwire.mongo;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.ReadPreference;
import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.CreateIndexOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import dev.chatwire.core.Attachment;
import dev.chatwire.core.Message;
import dev.chatwire.core.MessageDraft;
import dev.chatwire.core.MessageType;
import dev.chatwire.core.spi.HealthCheck;
import dev.chatwire.core.spi.MessageStore;
import dev.chatwire.core.spi.UnavailableException;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A {@link MessageStore} on MongoDB: one document per message, whose unique {@code chatId, seq} index hands out seqs.
 *
 * <p>Collection (its name after {@link MongoStoreOptions#collectionPrefix()}):
 * <pre>
 * messages          { _id: ObjectId,            // Message.id, as a hex string
 *                     chatId: String, seq: Int64, senderId: String,
 *                     type: "text" | "image" | "video" | "audio" | "file",
 *                     text: String,               // absent when null
 *                     attachment: { mediaId: String, mimeType: String, size: Int64, name: String },  // absent when null
 *                     clientMessageId: String,    // absent when null
 *                     idempotencyKey: String | ObjectId,  // the clientMessageId, or the message's own _id
 *                     createdAt: Date }           // millisecond precision
 *   index { chatId: 1, seq: 1 }                      unique: seqs never repeat; serves every history query
 *   index { chatId: 1, senderId: 1, idempotencyKey: 1 }  unique: one stored message per send, however retried
 * </pre>
 *
 * <p><b>Seq: dense, and visible in order.</b> {@link #append} inserts the message with the chat's next seq, and the
 * unique {@code chatId, seq} index is what takes the seq: an insert whose seq is taken fails with a duplicate key,
 * which proves that seq stored, so the append tries the one after it (after a second collision in a row, the one
 * after the chat's highest seq). So a seq is in use exactly when its message
 * is stored, and seq n+1 is only ever inserted by a writer that saw n stored (its own insert, or a read). Any number
 * of nodes may append to one chat without a lock, a counter or a transaction, and a reader never sees n+1 before n:
 * everything {@link #after} returns is a settled prefix, and a hole below the highest stored seq never fills (it can
 * only come from a store written by an older version of this class, which allocated seqs from a counter first). An
 * append that fails leaves no hole: its insert either took the seq or did not. On the common path an append, or an
 * {@link #appendAll} of any size, is one round trip (one ordered {@code insert}): each store remembers the next seq of the chats it wrote to ({@code NextSeqHints}), and reads the
 * chat's highest seq only on its first append there or after a collision. Collisions are retried up to
 * 64 times in a row, since each one means another append succeeded; counted, not timed, so that a slow server (whose
 * calls have their own time limits) does not turn contention into failures. Never delete a
 * chat's newest message document: its seq would be handed out again.
 *
 * <p><b>Idempotency</b> comes from the unique idempotency index, with no lookup first: the insert of a retried send
 * fails with a duplicate key, and only then is the earlier try read and returned with {@code created == false}.
 * Concurrent tries race on the same index: one insert wins, the others return the winner's message. Drafts without a
 * {@code clientMessageId} use their own {@code _id} (an ObjectId, a BSON type no client string can equal) as the key,
 * so they never collide.
 *
 * <p><b>History</b> ({@link #after}, {@link #before}, {@link #lastSeq}, {@link #lastSeqs}) is range scans of the
 * {@code chatId, seq} index, which every query names as its {@code hint}: a missing index makes the query fail instead
 * of scanning the collection. Indexes are created when the store is created; creating them again is harmless.
 *
 * <p><b>Failures.</b> Thread-safe. Every method blocks on MongoDB and throws {@link UnavailableException}, with the
 * driver's exception as cause, when the server cannot be reached or does not answer in time. Reads carry
 * {@link MongoStoreOptions#maxTime()}; writes carry {@link MongoStoreOptions#writeConcern()} (by default
 * majority, journaled, {@code wtimeout} 5 s). Reads go to the primary, so a retry always sees the earlier try. How long
 * a call may block while no server is reachable is decided by the host's client; use short settings, as
 * {@link MongoChatwire#connect} does:
 * <pre>{@code
 * MongoClientSettings.builder()
 *     .applyToClusterSettings(c -> c.serverSelectionTimeout(2, SECONDS))
 *     .applyToSocketSettings(s -> s.connectTimeout(2, SECONDS).readTimeout(15, SECONDS))  // > maxTime and wtimeout
 *     .applyConnectionString(new ConnectionString(uri))
 *     .build();
 * }</pre>
 * When a call fails with {@link UnavailableException} after its insert reached the server (a {@code wtimeout}, a
 * lost reply), the message may be stored: a retry with the same {@code clientMessageId} returns it.
 */
public final class MongoMessageStore implements MessageStore, HealthCheck {

    /** The base name of the messages collection. */
    public static final String MESSAGES = "messages";

    /** Seq collisions of one append in a row before it gives up: each is another writer's progress. */
    private static final int MAX_COLLISIONS = 64;

    static final Bson CHAT_SEQ_INDEX = Indexes.ascending("chatId", "seq");
    static final Bson IDEMPOTENCY_INDEX = Indexes.ascending("chatId", "senderId", "idempotencyKey");

    private final MongoDatabase database;
    private final MongoCollection<Document> messages;
    private final NextSeqHints nextSeqs = new NextSeqHints();
    private final long maxTimeMillis;

    private MongoMessageStore(MongoDatabase database, MongoStoreOptions options) {
        this.database = database;
        this.messages = collection(database, options, MESSAGES);
        this.maxTimeMillis = options.maxTimeMillis();
    }

    private static MongoCollection<Document> collection(MongoDatabase database, MongoStoreOptions options,
                                                        String baseName) {
        return database.getCollection(options.name(baseName))
                .withWriteConcern(options.writeConcern())
                .withReadPreference(ReadPreference.primary());
    }

    /**
     * A store with {@link MongoStoreOptions#defaults()}, its indexes created.
     *
     * @param database owned by the host, which closes its client; the store never does
     * @throws UnavailableException if the indexes cannot be created
     */
    public static MongoMessageStore create(MongoDatabase database) {
        return create(database, MongoStoreOptions.defaults());
    }

    /**
     * A store with the given options, its indexes created.
     *
     * @param database owned by the host, which closes its client; the store never does
     * @throws UnavailableException if the indexes cannot be created
     */
    public static MongoMessageStore create(MongoDatabase database, MongoStoreOptions options) {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(options, "options");
        MongoMessageStore store = new MongoMessageStore(database, options);
        store.createIndexes();
        return store;
    }

    /**
     * Creates the indexes this store relies on; harmless when they exist.
     *
     * @throws UnavailableException if MongoDB fails
     */
    public void createIndexes() {
        try {
            messages.createIndexes(List.of(
                            new IndexModel(CHAT_SEQ_INDEX, new IndexOptions().unique(true)),
                            new IndexModel(IDEMPOTENCY_INDEX, new IndexOptions().unique(true))),
                    new CreateIndexOptions().maxTime(maxTimeMillis, TimeUnit.MILLISECONDS));
        } catch (MongoException e) {
            throw MongoFailures.unavailable("index creation on " + messages.getNamespace(), e);
        }
    }

    @Override
    public Appended append(MessageDraft draft) {
        Objects.requireNonNull(draft, "draft");
        return appendAll(List.of(draft)).get(0);
    }

    /**
     * Stores the batch with one {@code insert} of every draft at consecutive seqs, in order; see the class
     * documentation for how seqs and idempotency work. A draft that a retry finds stored is answered from the store
     * and the drafts after it are inserted again, from the seq it left free.
     */
    @Override
    public List<Appended> appendAll(List<MessageDraft> drafts) {
        MessageStore.requireOneChat(drafts);
        String chatId = drafts.get(0).chatId();
        BatchResults results = new BatchResults(drafts);
        List<Integer> pending = results.firstOfEachKey();
        int collisions = 0;
        try {
            while (!pending.isEmpty()) {
                long seq = nextSeqs.next(chatId);
                if (seq == 0) {
                    seq = highestStoredSeq(chatId) + 1;
                }
                List<Document> documents = new ArrayList<>();
                List<Message> batch = new ArrayList<>();
                for (int index : pending) {
                    ObjectId id = new ObjectId();
                    Message message = withMillis(drafts.get(index).toMessage(id.toHexString(), seq + batch.size()));
                    batch.add(message);
                    documents.add(toDocument(message, id));
                }
                int storedCount = insertInOrder(chatId, documents);
                for (int i = 0; i < storedCount; i++) {
                    results.created(pending.get(i), batch.get(i));
                }
                if (storedCount == pending.size()) {
                    break;
                }
                int refused = pending.get(storedCount);
                Optional<Message> earlier = findEarlierTry(drafts.get(refused));
                if (earlier.isPresent()) {
                    results.found(refused, earlier.get());
                    pending = pending.subList(storedCount + 1, pending.size());
                    continue;
                }
                // Another append took this seq first, so it is stored: the one after it is the next to try, and only a
                // second collision in a row (the chat ran further ahead) is worth reading the highest seq for.
                collisions++;
                if (collisions == 1) {
                    nextSeqs.stored(chatId, seq + storedCount);
                } else {
                    nextSeqs.forget(chatId);
                }
                pending = pending.subList(storedCount, pending.size());
                if (collisions >= MAX_COLLISIONS) {
                    throw new UnavailableException("MongoDB append collided on seq in chat " + chatId + " "
                            + collisions + " times in a row");
                }
            }
            return results.all();
        } catch (MongoException e) {
            throw MongoFailures.unavailable("append", e);
        }
    }

    /**
     * Inserts the documents in order, stopping at the first one a unique index refuses.
     *
     * @return how many were stored: all of them, or those before the refused one
     * @throws MongoException on any failure but a duplicate key, when what was stored is unknown
     */
    private int insertInOrder(String chatId, List<Document> documents) {
        long firstSeq = documents.get(0).get("seq", Number.class).longValue();
        try {
            messages.insertMany(documents, new InsertManyOptions().ordered(true));
            nextSeqs.stored(chatId, firstSeq + documents.size() - 1);
            return documents.size();
        } catch (MongoBulkWriteException e) {
            List<BulkWriteError> errors = e.getWriteErrors();
            if (e.getWriteConcernError() != null || errors.isEmpty()
                    || ErrorCategory.fromErrorCode(errors.get(0).getCode()) != ErrorCategory.DUPLICATE_KEY) {
                nextSeqs.forget(chatId);
                throw e;
            }
            int stored = errors.get(0).getIndex();
            if (stored > 0) {
                nextSeqs.stored(chatId, firstSeq + stored - 1);
            }
            return stored;
        } catch (MongoException e) {
            // The insert may have landed or not: the next seq is no longer known to be free.
            nextSeqs.forget(chatId);
            throw e;
        }
    }

    @Override
    public List<Message> after(String chatId, long afterSeq, int limit) {
        Objects.requireNonNull(chatId, "chatId");
        requirePositive(limit);
        try {
            return history(Filters.and(Filters.eq("chatId", chatId), Filters.gt("seq", afterSeq)),
                    Sorts.ascending("seq"), limit);
        } catch (MongoException e) {
            throw MongoFailures.unavailable("history query", e);
        }
    }

    @Override
    public List<Message> before(String chatId, long beforeSeq, int limit) {
        Objects.requireNonNull(chatId, "chatId");
        requirePositive(limit);
        try {
            List<Message> newestFirst = history(Filters.and(Filters.eq("chatId", chatId), Filters.lt("seq", beforeSeq)),
                    Sorts.descending("seq"), limit);
            Collections.reverse(newestFirst);
            return newestFirst;
        } catch (MongoException e) {
            throw MongoFailures.unavailable("history query", e);
        }
    }

    @Override
    public long lastSeq(String chatId) {
        Objects.requireNonNull(chatId, "chatId");
        try {
            return highestStoredSeq(chatId);
        } catch (MongoException e) {
            throw MongoFailures.unavailable("lastSeq query", e);
        }
    }

    /**
     * Answers every chat with one {@code aggregate}: the chats' messages newest first along the {@code chatId, seq}
     * index, grouped by chat keeping each group's first seq: the shape MongoDB can answer with a {@code DISTINCT_SCAN}
     * of the index, one index entry per chat however long the chats' histories. Chats with no message are not in its
     * answer and read 0.
     */
    @Override
    public Map<String, Long> lastSeqs(Collection<String> chatIds) {
        Map<String, Long> seqs = new LinkedHashMap<>();
        chatIds.forEach(chatId -> seqs.put(Objects.requireNonNull(chatId, "chatId"), 0L));
        if (seqs.isEmpty()) {
            return seqs;
        }
        try {
            messages.aggregate(List.of(
                            Aggregates.match(Filters.in("chatId", seqs.keySet())),
                            Aggregates.sort(Sorts.descending("chatId", "seq")),
                            Aggregates.group("$chatId", Accumulators.first("lastSeq", "$seq"))))
                    .hint(CHAT_SEQ_INDEX)
                    .maxTime(maxTimeMillis, TimeUnit.MILLISECONDS)
                    .forEach(group -> seqs.put(group.getString("_id"), group.get("lastSeq", Number.class).longValue()));
            return seqs;
        } catch (MongoException e) {
            throw MongoFailures.unavailable("lastSeqs query", e);
        }
    }

    private List<Message> history(Bson filter, Bson sort, int limit) {
        List<Message> result = new ArrayList<>();
        messages.find(filter).sort(sort).limit(limit).hint(CHAT_SEQ_INDEX)
                .maxTime(maxTimeMillis, TimeUnit.MILLISECONDS)
                .forEach(document -> result.add(toMessage(document)));
        return result;
    }

    private long highestStoredSeq(String chatId) {
        FindIterable<Document> newest = messages.find(Filters.eq("chatId", chatId))
                .sort(Sorts.descending("seq")).limit(1).hint(CHAT_SEQ_INDEX)
                .projection(Projections.fields(Projections.include("seq"), Projections.excludeId()))
                .maxTime(maxTimeMillis, TimeUnit.MILLISECONDS);
        Document document = newest.first();
        return document == null ? 0 : document.get("seq", Number.class).longValue();
    }

    private Optional<Message> findEarlierTry(MessageDraft draft) {
        if (draft.clientMessageId() == null) {
            return Optional.empty();
        }
        Document document = messages.find(Filters.and(
                        Filters.eq("chatId", draft.chatId()),
                        Filters.eq("senderId", draft.senderId()),
                        Filters.eq("idempotencyKey", draft.clientMessageId())))
                .maxTime(maxTimeMillis, TimeUnit.MILLISECONDS)
                .first();
        return Optional.ofNullable(document).map(MongoMessageStore::toMessage);
    }

    private static void requirePositive(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be 1 or more, was " + limit);
        }
    }

    /** BSON dates hold milliseconds; the returned message equals the one read back later. */
    private static Message withMillis(Message m) {
        return new Message(m.id(), m.chatId(), m.seq(), m.senderId(), m.type(), m.text(), m.attachment(),
                m.clientMessageId(), m.createdAt().truncatedTo(ChronoUnit.MILLIS));
    }

    private static Document toDocument(Message message, ObjectId id) {
        Document document = new Document("_id", id)
                .append("chatId", message.chatId())
                .append("seq", message.seq())
                .append("senderId", message.senderId())
                .append("type", message.type().wireName());
        if (message.text() != null) {
            document.append("text", message.text());
        }
        Attachment attachment = message.attachment();
        if (attachment != null) {
            Document file = new Document("mediaId", attachment.mediaId())
                    .append("mimeType", attachment.mimeType())
                    .append("size", attachment.size());
            if (attachment.name() != null) {
                file.append("name", attachment.name());
            }
            document.append("attachment", file);
        }
        if (message.clientMessageId() != null) {
            document.append("clientMessageId", message.clientMessageId());
        }
        return document
                .append("idempotencyKey", message.clientMessageId() != null ? message.clientMessageId() : id)
                .append("createdAt", Date.from(message.createdAt()));
    }

    private static Message toMessage(Document document) {
        Document file = document.get("attachment", Document.class);
        Attachment attachment = file == null ? null : new Attachment(file.getString("mediaId"),
                file.getString("mimeType"), file.get("size", Number.class).longValue(), file.getString("name"));
        return new Message(
                document.getObjectId("_id").toHexString(),
                document.getString("chatId"),
                document.get("seq", Number.class).longValue(),
                document.getString("senderId"),
                MessageType.fromWireName(document.getString("type")),
                document.getString("text"),
                attachment,
                document.getString("clientMessageId"),
                document.getDate("createdAt").toInstant());
    }

    /** Pings the store's MongoDB: one round trip, bounded by the client's server selection and socket timeouts. */
    @Override
    public Health checkHealth() {
        return MongoPing.ping(database);
    }
}
