package dev.chatwire.mongo;

import com.mongodb.MongoException;
import dev.chatwire.core.TimelineEntry;
import org.bson.Document;

import java.time.Instant;
import java.util.Date;

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
            long seq = seqs.insertEntry(chatId, new Document("changeOf", null).append("removed", userId)
                    .append("senderId", userId).append("createdAt", Date.from(at)), "removal");
            return TimelineEntry.removal(seq, userId);
        } catch (MongoException e) {
            throw MongoFailures.unavailable("removal entry", e);
        }
    }
}
