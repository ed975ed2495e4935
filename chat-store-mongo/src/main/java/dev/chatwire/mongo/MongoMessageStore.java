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
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import dev.chatwire.core.Attachment;
import dev.chatwire.core.Message;
import dev.chatwire.core.MessageChange;
import dev.chatwire.core.MessageDraft;
import dev.chatwire.core.MessageType;
import dev.chatwire.core.TimelineEntry;
import dev.chatwire.core.spi.HealthCheck;
import dev.chatwire.core.spi.MessageStore;
import dev.chatwire.core.spi.UnavailableException;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A {@link MessageStore} on MongoDB: one document per timeline entry (a message, or a change to one), whose unique
 * {@code chatId, seq} index hands out seqs.
 *
 * <p>Collection (its name after {@link MongoStoreOptions#collectionPrefix()}):
 * <pre>
 * messages          a message, in its current state:
 *                   { _id: ObjectId,            // Message.id, as a hex string
 *                     chatId: String, seq: Int64, senderId: String,
 *                     type: "text" | "image" | "video" | "audio" | "file",
 *                     text: String,               // absent when null, and once deleted
 *                     attachment: { mediaId: String, mimeType: String, size: Int64, name: String },  // likewise
 *                     clientMessageId: String,    // absent when null
 *                     idempotencyKey: String | ObjectId,  // the clientMessageId, or the message's own _id
 *                     createdAt: Date,            // millisecond precision, as every date here
 *                     editedAt: Date,             // absent until the text is edited
 *                     deleted: true,              // absent unless deleted
 *                     reactions: { &lt;emoji&gt;: [ String ] } }  // user ids in the order they reacted; absent until the
 *                                                 // first reaction; an emoji whose array is empty reads as none
 *                   a change (edit, delete or reaction) to a message, at the seq the change took:
 *                   { _id: ObjectId, chatId: String, seq: Int64,
 *                     changeOf: ObjectId,         // the changed message's _id; only change documents have it
 *                     senderId: String,           // the changed message's sender
 *                     idempotencyKey: ObjectId,   // its own _id, so it never collides on the idempotency index
 *                     createdAt: Date }           // when the change was made
 *   index { chatId: 1, seq: 1 }                      unique: seqs never repeat; serves every history query
 *   index { chatId: 1, senderId: 1, idempotencyKey: 1 }  unique: one stored message per send, however retried
 * </pre>
 * Messages stored before changes existed lack {@code editedAt}, {@code deleted} and {@code reactions}, and read as
 * never edited, not deleted and without reactions. An emoji becomes a field name with {@code %}, {@code .} and
 * {@code $} escaped as {@code %} and two hex digits, so that user input never splits or escapes the update path.
 *
 * <p><b>Seq: dense, and visible in order.</b> {@link #append} inserts the message with the chat's next seq, and the
 * unique {@code chatId, seq} index is what takes the seq: an insert whose seq is taken fails with a duplicate key,
 * which proves that seq stored, so the append tries the one after it (after a second collision in a row, the one
 * after the chat's highest seq). So a seq is in use exactly when its entry
 * is stored, and seq n+1 is only ever inserted by a writer that saw n stored (its own insert, or a read). Any number
 * of nodes may append to one chat without a lock, a counter or a transaction, and a reader never sees n+1 before n:
 * everything {@link #after} returns is a settled prefix, and a hole below the highest stored seq never fills (it can
 * only come from a store written by an older version of this class, which allocated seqs from a counter first). An
 * append that fails leaves no hole: its insert either took the seq or did not. On the common path an append, or an
 * {@link #appendAll} of any size, is one round trip (one ordered {@code insert}): each store remembers the next seq of the chats it wrote to ({@code NextSeqHints}), and reads the
 * chat's highest seq only on its first append there or after a collision. Collisions are retried up to
 * 64 times in a row, since each one means another append succeeded; counted, not timed, so that a slow server (whose
 * calls have their own time limits) does not turn contention into failures. Never delete documents
 * by hand: the chat's newest one's seq would be handed out again, and the changes of a removed message would have no
 * state to show (the timeline leaves them out).
 *
 * <p><b>Changes</b> ({@link #change}) update the message document in place, atomically, and then insert a change
 * document by the same path as an append, so messages and changes share one dense sequence; {@link #timeline} reads
 * a change document as its message's current state.
 *
 * <p><b>Idempotency</b> comes from the unique idempotency index, with no lookup first: the insert of a retried send
 * fails with a duplicate key, and only then is the earlier try read and returned with {@code created == false}.
 * Concurrent tries race on the same index: one insert wins, the others return the winner's message. Drafts without a
 * {@code clientMessageId} use their own {@code _id} (an ObjectId, a BSON type no client string can equal) as the key,
 * so they never collide.
 *
 * <p><b>History</b> ({@link #after}, {@link #before}, {@link #timeline}, {@link #lastSeq}, {@link #lastSeqs},
 * {@link #unreadCounts}, {@link #newest}) is range scans of the {@code chatId, seq} index, which every query names as
 * its {@code hint}: a missing index makes the query fail instead of scanning the collection. {@link #after} and
 * {@link #before} leave change documents out with a {@code changeOf: {$exists: false}} filter on the documents the
 * scan fetches; {@link #lastSeq} and {@link #lastSeqs} count every entry. Lookups of single messages ({@link #find},
 * {@link #change}, and the messages a {@link #timeline} page's changes name) go by {@code _id}. Indexes are created
 * when the store is created; creating them again is harmless.
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

    /** Matches message documents and leaves change documents out. */
    private static final Bson IS_MESSAGE = Filters.exists("changeOf", false);

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
                long seq = nextSeq(chatId);
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
                collided(chatId, seq + storedCount, ++collisions, "append");
                pending = pending.subList(storedCount, pending.size());
            }
            return results.all();
        } catch (MongoException e) {
            throw MongoFailures.unavailable("append", e);
        }
    }

    /** The seq to try next in a chat: this node's hint, or the one after the chat's highest stored seq. */
    private long nextSeq(String chatId) {
        long seq = nextSeqs.next(chatId);
        return seq != 0 ? seq : highestStoredSeq(chatId) + 1;
    }

    /**
     * Another writer took {@code seq} first, so it is stored: the one after it is the next to try, and only a second
     * collision in a row (the chat ran further ahead) is worth reading the highest seq for.
     *
     * @param collisions the write's collisions in a row, this one included
     * @throws UnavailableException after {@link #MAX_COLLISIONS} in a row
     */
    private void collided(String chatId, long seq, int collisions, String write) {
        if (collisions == 1) {
            nextSeqs.stored(chatId, seq);
        } else {
            nextSeqs.forget(chatId);
        }
        if (collisions >= MAX_COLLISIONS) {
            throw new UnavailableException("MongoDB " + write + " collided on seq in chat " + chatId + " "
                    + collisions + " times in a row");
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
            return history(Filters.and(Filters.eq("chatId", chatId), Filters.gt("seq", afterSeq), IS_MESSAGE),
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
            List<Message> newestFirst = history(Filters.and(Filters.eq("chatId", chatId), Filters.lt("seq", beforeSeq),
                    IS_MESSAGE), Sorts.descending("seq"), limit);
            Collections.reverse(newestFirst);
            return newestFirst;
        } catch (MongoException e) {
            throw MongoFailures.unavailable("history query", e);
        }
    }

    /**
     * One range scan of the {@code chatId, seq} index for the page, then one {@code $in} query by {@code _id} for the
     * messages its change documents name (and for any message of the page that one of them changed, so that every
     * entry of a message in the page shows the same state). A change document is read after its own update was
     * applied (see {@link #change}), so its entry shows at least that change.
     */
    @Override
    public List<TimelineEntry> timeline(String chatId, long afterSeq, int limit) {
        Objects.requireNonNull(chatId, "chatId");
        requirePositive(limit);
        try {
            List<Document> page = messages.find(Filters.and(Filters.eq("chatId", chatId), Filters.gt("seq", afterSeq)))
                    .sort(Sorts.ascending("seq")).limit(limit).hint(CHAT_SEQ_INDEX)
                    .maxTime(maxTimeMillis, TimeUnit.MILLISECONDS)
                    .into(new ArrayList<>());
            Set<ObjectId> changed = new LinkedHashSet<>();
            page.forEach(document -> {
                ObjectId changeOf = document.getObjectId("changeOf");
                if (changeOf != null) {
                    changed.add(changeOf);
                }
            });
            Map<ObjectId, Message> current = new HashMap<>();
            if (!changed.isEmpty()) {
                messages.find(Filters.and(Filters.in("_id", changed), Filters.eq("chatId", chatId)))
                        .maxTime(maxTimeMillis, TimeUnit.MILLISECONDS)
                        .forEach(document -> current.put(document.getObjectId("_id"), toMessage(document)));
            }
            List<TimelineEntry> entries = new ArrayList<>(page.size());
            for (Document document : page) {
                long seq = document.get("seq", Number.class).longValue();
                ObjectId changeOf = document.getObjectId("changeOf");
                Message message = changeOf != null ? current.get(changeOf)
                        : current.getOrDefault(document.getObjectId("_id"), toMessage(document));
                // Null only for a change of a message document removed by hand: there is no state left to show.
                if (message != null) {
                    entries.add(new TimelineEntry(seq, message));
                }
            }
            return entries;
        } catch (MongoException e) {
            throw MongoFailures.unavailable("timeline query", e);
        }
    }

    /** By {@code _id} and chat; an id this store could not have issued, or a change document's, finds nothing. */
    @Override
    public Optional<Message> find(String chatId, String messageId) {
        Objects.requireNonNull(chatId, "chatId");
        Optional<ObjectId> id = parseId(messageId);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(messages.find(Filters.and(Filters.eq("_id", id.get()),
                                    Filters.eq("chatId", chatId), IS_MESSAGE))
                            .maxTime(maxTimeMillis, TimeUnit.MILLISECONDS)
                            .first())
                    .map(MongoMessageStore::toMessage);
        } catch (MongoException e) {
            throw MongoFailures.unavailable("message lookup", e);
        }
    }

    /**
     * Three steps: one {@code findOneAndUpdate} applies the change to the message document, matching only a message
     * of this chat that is not deleted; then the change document is inserted at the chat's next seq, exactly as an
     * append takes its seq; then the message is read again for the entry. Updating before the entry exists means any
     * reader that sees the entry sees at least its change. Reading after the insert, rather than keeping the update's
     * result, means the entry shows every change whose entry has a lower seq: each of those was updated before its
     * insert, and this insert came after theirs.
     *
     * <p>If MongoDB fails between the update and the insert, this throws {@link UnavailableException} and the message
     * shows the change without an entry of its own: history and later entries show it, but a reader already past
     * the message's seq learns of it only with the message's next change. A retried edit or reaction stores the
     * entry then; a retried delete finds the message deleted and stores none.
     */
    @Override
    public Optional<TimelineEntry> change(String chatId, String messageId, MessageChange change, Instant at) {
        Objects.requireNonNull(chatId, "chatId");
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(at, "at");
        Optional<ObjectId> id = parseId(messageId);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        try {
            Document changed = messages.findOneAndUpdate(
                    Filters.and(Filters.eq("_id", id.get()), Filters.eq("chatId", chatId), IS_MESSAGE,
                            Filters.ne("deleted", true)),
                    update(change, at),
                    new FindOneAndUpdateOptions().projection(Projections.include("senderId"))
                            .maxTime(maxTimeMillis, TimeUnit.MILLISECONDS));
            if (changed == null) {
                return Optional.empty();
            }
            long seq = insertChange(chatId, id.get(), changed.getString("senderId"), at);
            Document current = messages.find(Filters.eq("_id", id.get()))
                    .maxTime(maxTimeMillis, TimeUnit.MILLISECONDS)
                    .first();
            if (current == null) {
                throw new UnavailableException("MongoDB message " + messageId + " of chat " + chatId
                        + " was removed during a change to it");
            }
            return Optional.of(new TimelineEntry(seq, toMessage(current)));
        } catch (MongoException e) {
            throw MongoFailures.unavailable("change", e);
        }
    }

    private static Bson update(MessageChange change, Instant at) {
        if (change instanceof MessageChange.Edit edit) {
            return Updates.combine(Updates.set("text", edit.text()), Updates.set("editedAt", Date.from(at)));
        }
        if (change instanceof MessageChange.React react) {
            String field = "reactions." + ReactionKeys.encode(react.emoji());
            return react.active() ? Updates.addToSet(field, react.userId()) : Updates.pull(field, react.userId());
        }
        return Updates.combine(Updates.set("deleted", true), Updates.unset("text"), Updates.unset("attachment"));
    }

    /**
     * Inserts a change document at the chat's next seq, retrying on collisions as {@link #appendAll} does. Its own
     * {@code _id} is its idempotency key, so a duplicate key can only be a taken seq.
     *
     * @return the change's seq
     */
    private long insertChange(String chatId, ObjectId messageId, String senderId, Instant at) {
        for (int collisions = 1; ; collisions++) {
            long seq = nextSeq(chatId);
            ObjectId id = new ObjectId();
            Document entry = new Document("_id", id)
                    .append("chatId", chatId)
                    .append("seq", seq)
                    .append("changeOf", messageId)
                    .append("senderId", senderId)
                    .append("idempotencyKey", id)
                    .append("createdAt", Date.from(at));
            if (insertInOrder(chatId, List.of(entry)) == 1) {
                return seq;
            }
            collided(chatId, seq, collisions, "change");
        }
    }

    /**
     * One {@code aggregate} for every chat: a {@code $match} whose {@code $or} has one branch per chat, each a range
     * of the {@code chatId, seq} index (the seqs above the chat's read seq) further filtered to messages of others
     * that are not deleted, then a count per chat. Chats with nothing unread are not in its answer and read 0.
     */
    @Override
    public Map<String, Long> unreadCounts(String userId, Map<String, Long> readThrough) {
        Objects.requireNonNull(userId, "userId");
        Map<String, Long> counts = new LinkedHashMap<>();
        List<Bson> branches = new ArrayList<>();
        readThrough.forEach((chatId, seq) -> {
            counts.put(Objects.requireNonNull(chatId, "chatId"), 0L);
            branches.add(Filters.and(Filters.eq("chatId", chatId), Filters.gt("seq", Objects.requireNonNull(seq)),
                    IS_MESSAGE, Filters.ne("deleted", true), Filters.ne("senderId", userId)));
        });
        if (branches.isEmpty()) {
            return counts;
        }
        try {
            messages.aggregate(List.of(
                            Aggregates.match(Filters.or(branches)),
                            Aggregates.group("$chatId", Accumulators.sum("unread", 1))))
                    .hint(CHAT_SEQ_INDEX)
                    .maxTime(maxTimeMillis, TimeUnit.MILLISECONDS)
                    .forEach(group -> counts.put(group.getString("_id"), group.get("unread", Number.class).longValue()));
            return counts;
        } catch (MongoException e) {
            throw MongoFailures.unavailable("unread count", e);
        }
    }

    /**
     * One {@code aggregate} for every chat: the chats' messages newest first along the {@code chatId, seq} index,
     * grouped by chat keeping each group's first document. Unlike {@link #lastSeqs}, the filter that leaves change
     * documents out is not in the index, so MongoDB reads every message of the chats given, not one per chat.
     */
    @Override
    public Map<String, Message> newest(Collection<String> chatIds) {
        Set<String> chats = new LinkedHashSet<>();
        chatIds.forEach(chatId -> chats.add(Objects.requireNonNull(chatId, "chatId")));
        if (chats.isEmpty()) {
            return new LinkedHashMap<>();
        }
        try {
            Map<String, Message> found = new HashMap<>();
            messages.aggregate(List.of(
                            Aggregates.match(Filters.and(Filters.in("chatId", chats), IS_MESSAGE)),
                            Aggregates.sort(Sorts.descending("chatId", "seq")),
                            Aggregates.group("$chatId", Accumulators.first("message", "$$ROOT"))))
                    .hint(CHAT_SEQ_INDEX)
                    .maxTime(maxTimeMillis, TimeUnit.MILLISECONDS)
                    .forEach(group -> found.put(group.getString("_id"),
                            toMessage(group.get("message", Document.class))));
            Map<String, Message> newest = new LinkedHashMap<>();
            chats.forEach(chatId -> {
                Message message = found.get(chatId);
                if (message != null) {
                    newest.put(chatId, message);
                }
            });
            return newest;
        } catch (MongoException e) {
            throw MongoFailures.unavailable("newest query", e);
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

    /** Only ids this store could have issued; anything else is unknown, never an error or a query. */
    private static Optional<ObjectId> parseId(String messageId) {
        return messageId != null && ObjectId.isValid(messageId) ? Optional.of(new ObjectId(messageId))
                : Optional.empty();
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
                document.getDate("createdAt").toInstant(),
                Optional.ofNullable(document.getDate("editedAt")).map(Date::toInstant).orElse(null),
                document.getBoolean("deleted", false),
                reactions(document.get("reactions", Document.class)));
    }

    /** Each emoji to its users, in stored order; an emoji whose last user took the reaction back is left out. */
    private static Map<String, List<String>> reactions(Document stored) {
        if (stored == null || stored.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> reactions = new LinkedHashMap<>();
        stored.forEach((key, users) -> {
            List<?> list = (List<?>) users;
            if (!list.isEmpty()) {
                reactions.put(ReactionKeys.decode(key), list.stream().map(String.class::cast).toList());
            }
        });
        return reactions;
    }

    /** Pings the store's MongoDB: one round trip, bounded by the client's server selection and socket timeouts. */
    @Override
    public Health checkHealth() {
        return MongoPing.ping(database);
    }
}
