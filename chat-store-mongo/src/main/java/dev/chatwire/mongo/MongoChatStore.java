package dev.chatwire.mongo;

import com.mongodb.MongoException;
import com.mongodb.ReadPreference;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.CreateIndexOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import dev.chatwire.core.Chat;
import dev.chatwire.core.ChatActivity;
import dev.chatwire.core.spi.ChatStore;
import dev.chatwire.core.spi.HealthCheck;
import dev.chatwire.core.spi.UnavailableException;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ChatStore} on MongoDB: one document per chat, its participants, admins and accepted users in arrays.
 *
 * <p>Collection (name after {@link MongoStoreOptions#collectionPrefix()}):
 * <pre>
 * chats  { _id: ObjectId,               // Chat.id, as a 24-digit hex string
 *          participants: [ String ],     // user ids, never empty
 *          name: String,                 // absent for an unnamed chat
 *          createdAt: Date,              // millisecond precision
 *          activityAt: Date,             // the newest touch (a message), else createdAt; absent in older documents
 *          owner: String,                // the creator; absent in documents stored before owners existed
 *          admins: [ String ],           // participants the owner made admins; absent reads as none
 *          accepted: [ String ],         // participants who consented (created, sent or read); absent reads as none
 *          joined: [ { user: String,     // a participant added after creation ...
 *                      seq: Long } ] }   // ... and the chat's newest seq then; absent (older documents) reads as 0
 *   index { participants: 1, createdAt: 1, _id: 1 }   multikey: "every chat of user X, oldest first" is one index scan
 *   index { participants: 1, activityAt: -1, _id: -1 }  multikey: a page of user X's chat list, newest activity
 *                                                      first, is one index scan from where the last page ended
 * </pre>
 *
 * <p>Chat ids are ObjectId hex strings; any other string, including one that looks like a query operator, finds
 * nothing. User input only ever becomes a value compared with {@code $eq}, never a query or update document.
 * Participant changes are single atomic updates ({@code $addToSet}, {@code $pull}), so concurrent changes from many
 * nodes are all kept; removing the last participant is refused by the update's own filter, so two concurrent removals
 * cannot leave a chat empty. A removal pulls the user from {@code admins} and {@code accepted} in the same update;
 * naming an admin or recording consent matches only while the user is a participant, so neither outlives a concurrent
 * removal. Adding matches only while the user is not a participant, so its join seq is written once per joining; a
 * removal pulls it with the rest. A document without {@code owner} (stored before owners existed) loads as a chat with
 * no owner, which nobody manages.
 *
 * <p>Thread-safe. Every method blocks on MongoDB and throws {@link UnavailableException}, with the driver's exception
 * as cause, when it fails or does not answer in time; see {@link MongoMessageStore} for the timeouts and the client
 * settings to use. The indexes are created when the store is created; creating them again is harmless.
 */
public final class MongoChatStore implements ChatStore, HealthCheck {

    /** The base name of the chats collection. */
    public static final String CHATS = "chats";

    static final Bson PARTICIPANT_INDEX = Indexes.ascending("participants", "createdAt", "_id");
    static final Bson ACTIVITY_INDEX = Indexes.compoundIndex(Indexes.ascending("participants"),
            Indexes.descending("activityAt", "_id"));

    /** A removal only loops while other participants come and go at the same instant. */
    private static final int MAX_REMOVE_ATTEMPTS = 5;

    private final MongoDatabase database;
    private final MongoCollection<Document> chats;
    private final long maxTimeMillis;

    private MongoChatStore(MongoDatabase database, MongoStoreOptions options) {
        this.database = database;
        this.chats = database.getCollection(options.name(CHATS))
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
    public static MongoChatStore create(MongoDatabase database) {
        return create(database, MongoStoreOptions.defaults());
    }

    /**
     * A store with the given options, its index created.
     *
     * @param database owned by the host, which closes its client; the store never does
     * @throws UnavailableException if the index cannot be created
     */
    public static MongoChatStore create(MongoDatabase database, MongoStoreOptions options) {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(options, "options");
        MongoChatStore store = new MongoChatStore(database, options);
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
            chats.createIndexes(List.of(new IndexModel(PARTICIPANT_INDEX), new IndexModel(ACTIVITY_INDEX)),
                    new CreateIndexOptions().maxTime(maxTimeMillis, TimeUnit.MILLISECONDS));
        } catch (MongoException e) {
            throw MongoFailures.unavailable("index creation on " + chats.getNamespace(), e);
        }
    }

    @Override
    public Chat create(String owner, Set<String> participants, String name, Instant createdAt) {
        Objects.requireNonNull(createdAt, "createdAt");
        requireUserId(owner);
        ObjectId id = new ObjectId();
        // Validates before anything is stored.
        Chat chat = new Chat(id.toHexString(), participants, name, createdAt.truncatedTo(ChronoUnit.MILLIS), owner,
                Set.of(), Set.of(owner));
        if (!chat.hasParticipant(owner)) {
            throw new IllegalArgumentException("the owner must be a participant");
        }
        Document document = new Document("_id", id).append("participants", new ArrayList<>(chat.participants()));
        if (name != null) {
            document.append("name", name);
        }
        document.append("createdAt", Date.from(chat.createdAt()))
                .append("activityAt", Date.from(chat.createdAt()))
                .append("owner", owner)
                .append("admins", List.of())
                .append("accepted", List.of(owner));
        try {
            chats.insertOne(document);
        } catch (MongoException e) {
            throw MongoFailures.unavailable("chat creation", e);
        }
        return chat;
    }

    @Override
    public Optional<Chat> find(String chatId) {
        Optional<ObjectId> id = parseId(chatId);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(findById(id.get()));
        } catch (MongoException e) {
            throw MongoFailures.unavailable("chat lookup", e);
        }
    }

    @Override
    public List<Chat> chatsOf(String userId) {
        Objects.requireNonNull(userId, "userId");
        try {
            List<Chat> result = new ArrayList<>();
            chats.find(Filters.eq("participants", userId))
                    .sort(Sorts.ascending("createdAt", "_id"))
                    .hint(PARTICIPANT_INDEX)
                    .maxTime(maxTimeMillis, TimeUnit.MILLISECONDS)
                    .forEach(document -> result.add(toChat(document)));
            return result;
        } catch (MongoException e) {
            throw MongoFailures.unavailable("chats-of query", e);
        }
    }

    /** One {@code $max} update: concurrent touches from many nodes keep the newest, in any order. */
    @Override
    public void touch(String chatId, Instant at) {
        Objects.requireNonNull(at, "at");
        Optional<ObjectId> id = parseId(chatId);
        if (id.isEmpty()) {
            return;
        }
        try {
            chats.updateOne(Filters.eq("_id", id.get()),
                    Updates.max("activityAt", Date.from(at.truncatedTo(ChronoUnit.MILLIS))));
        } catch (MongoException e) {
            throw MongoFailures.unavailable("activity update", e);
        }
    }

    /**
     * One query along the activity index, from where the last page ended. Documents stored before chats had an
     * activity time sort after every chat that has one.
     */
    @Override
    public List<ChatActivity> chatsByActivity(String userId, ChatActivity.Position after, int limit) {
        Objects.requireNonNull(userId, "userId");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be 1 or more, was " + limit);
        }
        Bson filter = Filters.eq("participants", userId);
        if (after != null) {
            Date at = Date.from(after.activityAt());
            Bson beforeId = parseId(after.chatId()).map(id -> Filters.lt("_id", id))
                    .orElse(Filters.exists("_id", false));
            filter = Filters.and(filter, Filters.or(Filters.lt("activityAt", at),
                    Filters.and(Filters.eq("activityAt", at), beforeId)));
        }
        try {
            List<ChatActivity> page = new ArrayList<>();
            chats.find(filter).sort(Sorts.descending("activityAt", "_id")).limit(limit).hint(ACTIVITY_INDEX)
                    .maxTime(maxTimeMillis, TimeUnit.MILLISECONDS)
                    .forEach(document -> {
                        Chat chat = toChat(document);
                        Date activity = document.getDate("activityAt");
                        page.add(new ChatActivity(chat, activity == null ? chat.createdAt() : activity.toInstant()));
                    });
            return page;
        } catch (MongoException e) {
            throw MongoFailures.unavailable("chat list query", e);
        }
    }

    @Override
    public Optional<Chat> addParticipant(String chatId, String userId) {
        return addParticipant(chatId, userId, 0);
    }

    @Override
    public Optional<Chat> addParticipant(String chatId, String userId, long joinSeq) {
        requireUserId(userId);
        if (joinSeq < 0) {
            throw new IllegalArgumentException("joinSeq must not be negative");
        }
        Optional<ObjectId> id = parseId(chatId);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        try {
            // Matches only while the user is not a participant, so that its join seq is written once per joining.
            Document updated = chats.findOneAndUpdate(
                    Filters.and(Filters.eq("_id", id.get()), Filters.ne("participants", userId)),
                    Updates.combine(Updates.addToSet("participants", userId),
                            Updates.push("joined", new Document("user", userId).append("seq", joinSeq))),
                    returningUpdated());
            return updated != null ? Optional.of(toChat(updated)) : Optional.ofNullable(findById(id.get()));
        } catch (MongoException e) {
            throw MongoFailures.unavailable("participant update", e);
        }
    }

    @Override
    public Optional<Chat> removeParticipant(String chatId, String userId) {
        requireUserId(userId);
        Optional<ObjectId> id = parseId(chatId);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        try {
            // Matches only while the user is a participant and not the only one: the check and the $pull are atomic.
            Bson removable = Filters.and(Filters.eq("_id", id.get()), Filters.eq("participants", userId),
                    Filters.exists("participants.1"));
            for (int attempt = 0; attempt < MAX_REMOVE_ATTEMPTS; attempt++) {
                Document updated = chats.findOneAndUpdate(removable, Updates.combine(
                        Updates.pull("participants", userId), Updates.pull("admins", userId),
                        Updates.pull("accepted", userId), Updates.pull("joined", new Document("user", userId))),
                        returningUpdated());
                if (updated != null) {
                    return Optional.of(toChat(updated));
                }
                Chat chat = findById(id.get());
                if (chat == null) {
                    return Optional.empty();
                }
                if (!chat.hasParticipant(userId) || chat.participants().size() == 1) {
                    return Optional.of(chat);
                }
                // Someone joined between the refused update and the read: try again.
            }
            throw new UnavailableException("chat " + chatId + " kept changing during a participant removal");
        } catch (MongoException e) {
            throw MongoFailures.unavailable("participant update", e);
        }
    }

    @Override
    public Optional<Chat> setAdmin(String chatId, String userId, boolean admin) {
        requireUserId(userId);
        return updateParticipant(chatId, userId,
                admin ? Updates.addToSet("admins", userId) : Updates.pull("admins", userId), "admin update");
    }

    @Override
    public Optional<Chat> accept(String chatId, String userId) {
        requireUserId(userId);
        return updateParticipant(chatId, userId, Updates.addToSet("accepted", userId), "consent update");
    }

    /** Applies an update about a user only while the user is a participant, atomically; otherwise reads the chat. */
    private Optional<Chat> updateParticipant(String chatId, String userId, Bson update, String what) {
        Optional<ObjectId> id = parseId(chatId);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        try {
            Document updated = chats.findOneAndUpdate(
                    Filters.and(Filters.eq("_id", id.get()), Filters.eq("participants", userId)), update,
                    returningUpdated());
            return updated != null ? Optional.of(toChat(updated)) : Optional.ofNullable(findById(id.get()));
        } catch (MongoException e) {
            throw MongoFailures.unavailable(what, e);
        }
    }

    private Chat findById(ObjectId id) {
        Document document = chats.find(Filters.eq("_id", id)).maxTime(maxTimeMillis, TimeUnit.MILLISECONDS).first();
        return document == null ? null : toChat(document);
    }

    private FindOneAndUpdateOptions returningUpdated() {
        return new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER)
                .maxTime(maxTimeMillis, TimeUnit.MILLISECONDS);
    }

    /** Only ids this store could have issued; anything else is unknown, never an error or a query. */
    private static Optional<ObjectId> parseId(String chatId) {
        return chatId != null && ObjectId.isValid(chatId) ? Optional.of(new ObjectId(chatId)) : Optional.empty();
    }

    private static void requireUserId(String userId) {
        if (userId == null || userId.isBlank()) {
            throw new IllegalArgumentException("userId must not be blank");
        }
    }

    private static Chat toChat(Document document) {
        return new Chat(
                document.getObjectId("_id").toHexString(),
                new LinkedHashSet<>(document.getList("participants", String.class)),
                document.getString("name"),
                document.getDate("createdAt").toInstant(),
                document.getString("owner"),
                new LinkedHashSet<>(document.getList("admins", String.class, List.of())),
                new LinkedHashSet<>(document.getList("accepted", String.class, List.of())),
                joinSeqs(document));
    }

    private static Map<String, Long> joinSeqs(Document document) {
        Map<String, Long> seqs = new LinkedHashMap<>();
        for (Document joined : document.getList("joined", Document.class, List.of())) {
            seqs.put(joined.getString("user"), joined.get("seq", Number.class).longValue());
        }
        return seqs;
    }

    /** Pings the store's MongoDB: one round trip, bounded by the client's server selection and socket timeouts. */
    @Override
    public Health checkHealth() {
        return MongoPing.ping(database);
    }
}
