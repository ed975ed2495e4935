package dev.chatwire.mongo;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import dev.chatwire.core.Message;
import dev.chatwire.core.MessageDraft;
import dev.chatwire.core.spi.MessageStore;
import dev.chatwire.core.spi.MessageStore.Appended;
import org.bson.Document;
import org.bson.types.ObjectId;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static dev.chatwire.mongo.MessageDocuments.toDocument;
import static dev.chatwire.mongo.MessageDocuments.withMillis;

/** Stores batches of drafts as message documents at a chat's next seqs, answering retries from the store. */
final class AppendWriter {

    private final MongoCollection<Document> messages;
    private final long maxTimeMillis;
    private final SeqInserter seqs;

    AppendWriter(MongoCollection<Document> messages, long maxTimeMillis, SeqInserter seqs) {
        this.messages = messages;
        this.maxTimeMillis = maxTimeMillis;
        this.seqs = seqs;
    }

    /** What {@link MongoMessageStore#appendAll} documents: one ordered insert on the common path. */
    List<Appended> appendAll(List<MessageDraft> drafts) {
        MessageStore.requireOneChat(drafts);
        String chatId = drafts.get(0).chatId();
        BatchResults results = new BatchResults(drafts);
        List<Integer> pending = results.firstOfEachKey();
        int collisions = 0;
        try {
            while (!pending.isEmpty()) {
                long seq = seqs.nextSeq(chatId);
                List<Document> documents = new ArrayList<>();
                List<Message> batch = new ArrayList<>();
                for (int index : pending) {
                    ObjectId id = new ObjectId();
                    Message message = withMillis(drafts.get(index).toMessage(id.toHexString(), seq + batch.size()));
                    batch.add(message);
                    documents.add(toDocument(message, id));
                }
                int storedCount = seqs.insertInOrder(chatId, documents);
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
                seqs.collided(chatId, seq + storedCount, ++collisions, "append");
                pending = pending.subList(storedCount, pending.size());
            }
            return results.all();
        } catch (MongoException e) {
            throw MongoFailures.unavailable("append", e);
        }
    }

    /** The message an earlier try of this draft stored, found by its idempotency key; none without a key. */
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
        return Optional.ofNullable(document).map(MessageDocuments::toMessage);
    }
}
