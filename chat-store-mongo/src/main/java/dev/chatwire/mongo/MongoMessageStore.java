package dev.chatwire.mongo;

import com.mongodb.MongoException;
import com.mongodb.ReadPreference;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.CreateIndexOptions;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import dev.chatwire.core.Message;
import dev.chatwire.core.MessageChange;
import dev.chatwire.core.MessageDraft;
import dev.chatwire.core.TimelineEntry;
import dev.chatwire.core.spi.ChatPosition;
import dev.chatwire.core.spi.HealthCheck;
import dev.chatwire.core.spi.MessageStore;
import dev.chatwire.core.spi.UnavailableException;
import org.bson.Document;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static dev.chatwire.mongo.MessageDocuments.CHAT_MEDIA_INDEX;
import static dev.chatwire.mongo.MessageDocuments.CHAT_SEQ_INDEX;
import static dev.chatwire.mongo.MessageDocuments.HAS_MEDIA;
import static dev.chatwire.mongo.MessageDocuments.IDEMPOTENCY_INDEX;

/**
 * A {@link MessageStore} on MongoDB: one document per timeline entry (a message, a change to one, or a removal), whose
 * unique {@code chatId, seq} index hands out seqs.
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
 *                     reactions: { &lt;emoji&gt;: [ String ] } }  // user ids in the order they reacted; absent until
 *                                                 // the first reaction; an emoji whose array is empty reads as none
 *                   a change (edit, delete or reaction) to a message, at the seq the change took:
 *                   { _id: ObjectId, chatId: String, seq: Int64,
 *                     changeOf: ObjectId,         // the changed message's _id; only change documents have it
 *                     senderId: String,           // the changed message's sender
 *                     idempotencyKey: ObjectId,   // its own _id, so it never collides on the idempotency index
 *                     createdAt: Date }           // when the change was made
 *                   a participant's removal from the chat, at the seq it took (only the timeline shows it):
 *                   { _id: ObjectId, chatId: String, seq: Int64,
 *                     changeOf: null,             // present, so that message queries leave it out as they do changes
 *                     removed: String,            // the removed user
 *                     senderId: String,           // the removed user too
 *                     idempotencyKey: ObjectId,   // its own _id
 *                     createdAt: Date }           // when the removal was made
 *   index { chatId: 1, seq: 1 }                      unique: seqs never repeat; serves every history query
 *   index { chatId: 1, senderId: 1, idempotencyKey: 1 }  unique: one stored message per send, however retried
 *   index { chatId: 1, "attachment.mediaId": 1 }    partial, file messages only: {@link #findByMedia}
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
 * {@link #appendAll} of any size, is one round trip (one ordered {@code insert}): each store remembers the next seq of
 * the chats it wrote to ({@code NextSeqHints}), and reads the chat's highest seq only on its first append there or
 * after a collision. Collisions are retried up to 64 times in a row, since each one means another append succeeded;
 * counted, not timed, so that a slow server (whose calls have their own time limits) does not turn contention into
 * failures. Never delete documents by hand: the chat's newest one's seq would be handed out again, and the changes of a
 * removed message would have no state to show (the timeline leaves them out).
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

    private final MongoDatabase database;
    private final MongoCollection<Document> messages;
    private final long maxTimeMillis;
    private final SeqInserter seqs;
    private final AppendWriter appends;
    private final ChangeWriter changes;
    private final RemovalWriter removals;
    private final HistoryReader history;
    private final ChatListQueries chatLists;

    private MongoMessageStore(MongoDatabase database, MongoStoreOptions options) {
        this.database = database;
        this.messages = database.getCollection(options.name(MESSAGES))
                .withWriteConcern(options.writeConcern())
                .withReadPreference(ReadPreference.primary());
        this.maxTimeMillis = options.maxTimeMillis();
        // One seq inserter for appends, changes and removals alike: they share the chat's sequence and this node's
        // hints.
        this.seqs = new SeqInserter(messages, maxTimeMillis);
        this.appends = new AppendWriter(messages, maxTimeMillis, seqs);
        this.changes = new ChangeWriter(messages, maxTimeMillis, seqs);
        this.removals = new RemovalWriter(seqs);
        this.history = new HistoryReader(messages, maxTimeMillis);
        this.chatLists = new ChatListQueries(messages, maxTimeMillis, history);
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
                            new IndexModel(IDEMPOTENCY_INDEX, new IndexOptions().unique(true)),
                            new IndexModel(CHAT_MEDIA_INDEX, new IndexOptions().partialFilterExpression(HAS_MEDIA))),
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
        return appends.appendAll(drafts);
    }

    @Override
    public List<Message> after(String chatId, long afterSeq, int limit) {
        Objects.requireNonNull(chatId, "chatId");
        return history.after(chatId, afterSeq, limit);
    }

    @Override
    public List<Message> before(String chatId, long beforeSeq, int limit) {
        Objects.requireNonNull(chatId, "chatId");
        return history.before(chatId, beforeSeq, limit);
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
        return history.timeline(chatId, afterSeq, limit);
    }

    /** By {@code _id} and chat; an id this store could not have issued, or a change document's, finds nothing. */
    @Override
    public Optional<Message> find(String chatId, String messageId) {
        Objects.requireNonNull(chatId, "chatId");
        return history.find(chatId, messageId);
    }

    /** One query along the partial {@code chatId, attachment.mediaId} index; an unknown media finds nothing. */
    @Override
    public Optional<Message> findByMedia(String chatId, String mediaId) {
        Objects.requireNonNull(chatId, "chatId");
        Objects.requireNonNull(mediaId, "mediaId");
        return history.findByMedia(chatId, mediaId);
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
        return changes.change(chatId, messageId, change, at);
    }

    /**
     * Inserts a removal document at the chat's next seq, by the same path as an append and a change: one insert,
     * retried at the next seq when another writer took this one.
     */
    @Override
    public TimelineEntry recordRemoval(String chatId, String userId, Instant at) {
        Objects.requireNonNull(chatId, "chatId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(at, "at");
        return removals.recordRemoval(chatId, userId, at.truncatedTo(ChronoUnit.MILLIS));
    }

    /**
     * One {@code aggregate} for every chat: a {@code $match} whose {@code $or} has one branch per chat, each a range
     * of the {@code chatId, seq} index (the seqs above the chat's read seq) further filtered to messages of others
     * that are not deleted, then a count per chat. Chats with nothing unread are not in its answer and read 0.
     */
    @Override
    public Map<String, Long> unreadCounts(String userId, Map<String, Long> readThrough) {
        Objects.requireNonNull(userId, "userId");
        return chatLists.unreadCounts(userId, readThrough);
    }

    /**
     * One {@code aggregate} for every chat, in place of {@link #lastSeqs} and {@link #unreadCounts}: a {@code $match}
     * whose {@code $or} has one branch per chat, each a range of the {@code chatId, seq} index from the seq given up
     * (the entries a count reads, and the entry at that seq), then per chat the highest seq and the unread messages
     * of others. A chat read to its end reads one index entry and document; one with nothing at or above its seq
     * costs a {@link #lastSeqs} more.
     */
    @Override
    public Map<String, ChatPosition> positions(String userId, Map<String, Long> countAfter) {
        Objects.requireNonNull(userId, "userId");
        return chatLists.positions(userId, countAfter);
    }

    /**
     * The newest message of each chat, reading about one document per chat, never a chat's whole history. First
     * {@link #lastSeqs} (one {@code aggregate}, one index entry per chat); then one {@code find} of the entries at
     * those seqs, an {@code $or} of {@code chatId, seq} equalities hinted on that index (one index entry and one
     * document per chat with entries). A chat whose last entry is a change (an edit, delete or reaction) has its
     * newest message further back: one {@link #before} query per such chat finds it, reading the change documents
     * above that message and the message.
     *
     * <p>So: 2 round trips, plus 1 per chat whose last entry is a change; none when no chat is given, and 1 when none
     * of them has entries. Documents read: one per chat with entries, plus, for each chat whose last entry is a
     * change, its trailing changes and its newest message.
     */
    @Override
    public Map<String, Message> newest(Collection<String> chatIds) {
        return chatLists.newest(chatIds);
    }

    @Override
    public long lastSeq(String chatId) {
        Objects.requireNonNull(chatId, "chatId");
        try {
            return seqs.highestStoredSeq(chatId);
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
        return chatLists.lastSeqs(chatIds);
    }

    /** Pings the store's MongoDB: one round trip, bounded by the client's server selection and socket timeouts. */
    @Override
    public Health checkHealth() {
        return MongoPing.ping(database);
    }
}
