package dev.chatwire.mongo;

import com.mongodb.MongoException;
import dev.chatwire.core.TimelineEntry;
import org.bson.Document;
import org.bson.types.ObjectId;

import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * Stores a participant's removal as a timeline entry of its own, at the chat's next seq. Its {@code changeOf: null}
 * keeps it out of every message query, as a change document's {@code changeOf} does ({@code $exists: false} matches
 * messages only); {@code removed} tells it from a change.
 */
final class RemovalWriter {

    private final SeqInserter seqs;

    RemovalWriter(SeqInserter seqs) {
        this.seqs = seqs;
    }

    /** What {@link MongoMessageStore#recordRemoval} documents; retries on seq collisions as an append does. */
    TimelineEntry recordRemoval(String chatId, String userId, Instant at) {
        try {
            for (int collisions = 1; ; collisions++) {
                long seq = seqs.nextSeq(chatId);
                ObjectId id = new ObjectId();
                Document entry = new Document("_id", id)
                        .append("chatId", chatId)
                        .append("seq", seq)
                        .append("changeOf", null)
                        .append("removed", userId)
                        .append("senderId", userId)
                        .append("idempotencyKey", id)
                        .append("createdAt", Date.from(at));
                if (seqs.insertInOrder(chatId, List.of(entry)) == 1) {
                    return TimelineEntry.removal(seq, userId);
                }
                seqs.collided(chatId, seq, collisions, "removal");
            }
        } catch (MongoException e) {
            throw MongoFailures.unavailable("removal entry", e);
        }
    }
}
