package dev.chatwire.mongo;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Updates;
import dev.chatwire.core.MessageChange;
import dev.chatwire.core.TimelineEntry;
import dev.chatwire.core.spi.UnavailableException;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static dev.chatwire.mongo.MessageDocuments.IS_MESSAGE;

/** Applies changes to message documents in place and stores each change as a timeline entry of its own. */
final class ChangeWriter {

    private final MongoCollection<Document> messages;
    private final long maxTimeMillis;
    private final SeqInserter seqs;

    ChangeWriter(MongoCollection<Document> messages, long maxTimeMillis, SeqInserter seqs) {
        this.messages = messages;
        this.maxTimeMillis = maxTimeMillis;
        this.seqs = seqs;
    }

    /** What {@link MongoMessageStore#change} documents: update, insert the change document, read the message. */
    Optional<TimelineEntry> change(String chatId, String messageId, MessageChange change, Instant at) {
        Optional<ObjectId> id = MessageDocuments.parseId(messageId);
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
            long seq = seqs.insertEntry(chatId, new Document("changeOf", id.get())
                    .append("senderId", changed.getString("senderId")).append("createdAt", Date.from(at)), "change");
            Document current = messages.find(Filters.eq("_id", id.get()))
                    .maxTime(maxTimeMillis, TimeUnit.MILLISECONDS)
                    .first();
            if (current == null) {
                throw new UnavailableException("MongoDB message " + messageId + " of chat " + chatId
                        + " was removed during a change to it");
            }
            return Optional.of(new TimelineEntry(seq, MessageDocuments.toMessage(current)));
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
}
