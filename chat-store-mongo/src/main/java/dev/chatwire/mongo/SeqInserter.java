package dev.chatwire.mongo;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import dev.chatwire.core.spi.UnavailableException;
import org.bson.Document;
import org.bson.types.ObjectId;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.chatwire.mongo.MessageDocuments.CHAT_SEQ_INDEX;

/**
 * Inserts timeline entries (messages and changes alike) at a chat's next seqs, letting the unique {@code chatId, seq}
 * index decide which writer takes a seq; {@link MongoMessageStore}'s class documentation says why that keeps seqs
 * dense and visible in order. The caller builds the documents and retries; this class knows which seq to try next
 * and when to give up.
 */
final class SeqInserter {

    /** Seq collisions of one write in a row before it gives up: each is another writer's progress. */
    private static final int MAX_COLLISIONS = 64;

    private final MongoCollection<Document> messages;
    private final long maxTimeMillis;
    private final NextSeqHints nextSeqs = new NextSeqHints();

    SeqInserter(MongoCollection<Document> messages, long maxTimeMillis) {
        this.messages = messages;
        this.maxTimeMillis = maxTimeMillis;
    }

    /** The seq to try next in a chat: this node's hint, or the one after the chat's highest stored seq. */
    long nextSeq(String chatId) {
        long seq = nextSeqs.next(chatId);
        return seq != 0 ? seq : highestStoredSeq(chatId) + 1;
    }

    /**
     * Another writer took {@code seq} first, so it is stored: the one after it is the next to try, and only a second
     * collision in a row (the chat ran further ahead) is worth reading the highest seq for.
     *
     * @param collisions the write's collisions in a row, this one included
     * @param write      what collided, for the exception's message
     * @throws UnavailableException after {@link #MAX_COLLISIONS} in a row
     */
    void collided(String chatId, long seq, int collisions, String write) {
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
     * Inserts the documents, at consecutive seqs of one chat, in order, stopping at the first one a unique index
     * refuses.
     *
     * @return how many were stored: all of them, or those before the refused one
     * @throws MongoException on any failure but a duplicate key, when what was stored is unknown
     */
    int insertInOrder(String chatId, List<Document> documents) {
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

    /**
     * The highest seq stored in a chat, of a message or a change, or 0: one index entry, read newest first.
     *
     * @throws MongoException if MongoDB fails
     */
    long highestStoredSeq(String chatId) {
        Document newest = messages.find(Filters.eq("chatId", chatId))
                .sort(Sorts.descending("seq")).limit(1).hint(CHAT_SEQ_INDEX)
                .projection(Projections.fields(Projections.include("seq"), Projections.excludeId()))
                .maxTime(maxTimeMillis, TimeUnit.MILLISECONDS)
                .first();
        return newest == null ? 0 : newest.get("seq", Number.class).longValue();
    }

    /**
     * Inserts an entry that is not a message (a change, a removal) at the chat's next seq, retrying on collisions as
     * an append does. The entry's own {@code _id} is its idempotency key, so a duplicate key can only be a taken seq.
     *
     * @param fields the entry's own fields, besides its id, chat, seq and key
     * @param kind   what the entry is, for the collision log
     * @return the entry's seq
     */
    long insertEntry(String chatId, Document fields, String kind) {
        for (int collisions = 1; ; collisions++) {
            long seq = nextSeq(chatId);
            ObjectId id = new ObjectId();
            Document entry = new Document("_id", id).append("chatId", chatId).append("seq", seq);
            entry.putAll(fields);
            entry.append("idempotencyKey", id);
            if (insertInOrder(chatId, List.of(entry)) == 1) {
                return seq;
            }
            collided(chatId, seq, collisions, kind);
        }
    }
}
