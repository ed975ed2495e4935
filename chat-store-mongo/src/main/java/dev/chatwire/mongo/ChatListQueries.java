package dev.chatwire.mongo;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import dev.chatwire.core.Message;
import dev.chatwire.core.spi.ChatPosition;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import static dev.chatwire.mongo.MessageDocuments.CHAT_SEQ_INDEX;
import static dev.chatwire.mongo.MessageDocuments.IS_MESSAGE;

/**
 * Answers for many chats at once what a user's chat list shows: unread counts, newest messages, highest seqs.
 * {@link MongoMessageStore}'s methods of the same names document what each costs.
 */
final class ChatListQueries {

    private final MongoCollection<Document> messages;
    private final long maxTimeMillis;
    private final HistoryReader history;

    ChatListQueries(MongoCollection<Document> messages, long maxTimeMillis, HistoryReader history) {
        this.messages = messages;
        this.maxTimeMillis = maxTimeMillis;
        this.history = history;
    }

    Map<String, Long> unreadCounts(String userId, Map<String, Long> readThrough) {
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
                    .forEach(group -> counts.put(group.getString("_id"),
                            group.get("unread", Number.class).longValue()));
            return counts;
        } catch (MongoException e) {
            throw MongoFailures.unavailable("unread count", e);
        }
    }

    Map<String, ChatPosition> positions(String userId, Map<String, Long> countAfter) {
        Map<String, ChatPosition> positions = new LinkedHashMap<>();
        BsonArray branches = new BsonArray();
        countAfter.forEach((chatId, after) -> {
            positions.put(Objects.requireNonNull(chatId, "chatId"), new ChatPosition(0, 0));
            branches.add(new BsonDocument("chatId", new BsonString(chatId))
                    .append("seq", new BsonDocument("$gte", new BsonInt64(Objects.requireNonNull(after)))));
        });
        if (branches.isEmpty()) {
            return positions;
        }
        // Built as BsonDocuments, not with the Filters and Aggregates builders: the driver renders each builder stage
        // to a BsonDocument (the last one twice) before it encodes the command, and this query runs at every
        // admission, where that rendering made it 30% of a node's CPU in the benchmark's reconnect storm.
        BsonDocument unread = unreadExpression(userId);
        List<BsonDocument> pipeline = List.of(
                new BsonDocument("$match", new BsonDocument("$or", branches)),
                new BsonDocument("$sort", new BsonDocument("chatId", new BsonInt32(1)).append("seq", new BsonInt32(1))),
                new BsonDocument("$group", new BsonDocument("_id", new BsonString("$chatId"))
                        .append("lastSeq", new BsonDocument("$max", new BsonString("$seq")))
                        .append("firstSeq", new BsonDocument("$first", new BsonString("$seq")))
                        .append("firstUnread", new BsonDocument("$first", unread))
                        .append("unread", new BsonDocument("$sum", unread))));
        List<String> behindTheirSeq = new ArrayList<>();
        try {
            Map<String, Document> groups = new HashMap<>();
            messages.aggregate(pipeline)
                    .hint(CHAT_SEQ_INDEX)
                    .maxTime(maxTimeMillis, TimeUnit.MILLISECONDS)
                    .forEach(group -> groups.put(group.getString("_id"), group));
            countAfter.forEach((chatId, after) -> {
                Document group = groups.get(chatId);
                if (group == null) {
                    if (after > 0) {
                        behindTheirSeq.add(chatId);
                    }
                    return;
                }
                // The entry at the seq the count starts after matched too, so that a chat read to its end answers
                // its last seq; it is not unread.
                long boundary = group.get("firstSeq", Number.class).longValue() == after
                        ? group.get("firstUnread", Number.class).longValue() : 0;
                positions.put(chatId, new ChatPosition(group.get("lastSeq", Number.class).longValue(),
                        group.get("unread", Number.class).longValue() - boundary));
            });
        } catch (MongoException e) {
            throw MongoFailures.unavailable("chat positions query", e);
        }
        // Nothing at or above the seq given: the chat ends below it, so a look up of where.
        if (!behindTheirSeq.isEmpty()) {
            lastSeqs(behindTheirSeq).forEach((chatId, seq) -> positions.put(chatId, new ChatPosition(seq, 0)));
        }
        return positions;
    }

    /** 1 for a message of someone else that is not deleted, else 0: an entry without changeOf is a message. */
    private static BsonDocument unreadExpression(String userId) {
        BsonDocument isMessage = new BsonDocument("$eq", new BsonArray(List.of(
                new BsonDocument("$ifNull", new BsonArray(List.of(new BsonString("$changeOf"), BsonNull.VALUE))),
                BsonNull.VALUE)));
        BsonDocument notDeleted = new BsonDocument("$ne", new BsonArray(List.of(new BsonString("$deleted"),
                BsonBoolean.TRUE)));
        BsonDocument notOwn = new BsonDocument("$ne", new BsonArray(List.of(new BsonString("$senderId"),
                new BsonString(userId))));
        return new BsonDocument("$cond", new BsonArray(List.of(
                new BsonDocument("$and", new BsonArray(List.of(isMessage, notDeleted, notOwn))),
                new BsonInt32(1), new BsonInt32(0))));
    }

    /**
     * What {@link MongoMessageStore#newest} documents: the chats' last seqs, one find of the entries at them, and a
     * look back below the entry for each chat whose entry is no message.
     */
    Map<String, Message> newest(Collection<String> chatIds) {
        Map<String, Long> lastSeqs = lastSeqs(chatIds);
        List<Bson> lastEntries = new ArrayList<>();
        lastSeqs.forEach((chatId, seq) -> {
            if (seq > 0) {
                lastEntries.add(Filters.and(Filters.eq("chatId", chatId), Filters.eq("seq", seq)));
            }
        });
        Map<String, Message> newest = new LinkedHashMap<>();
        if (lastEntries.isEmpty()) {
            return newest;
        }
        Map<String, Message> lastMessages = new HashMap<>();
        try {
            messages.find(Filters.or(lastEntries)).hint(CHAT_SEQ_INDEX)
                    .maxTime(maxTimeMillis, TimeUnit.MILLISECONDS)
                    .forEach(document -> {
                        if (!document.containsKey("changeOf")) {
                            lastMessages.put(document.getString("chatId"), MessageDocuments.toMessage(document));
                        }
                    });
        } catch (MongoException e) {
            throw MongoFailures.unavailable("newest query", e);
        }
        lastSeqs.forEach((chatId, seq) -> {
            Message message = lastMessages.get(chatId);
            if (message == null && seq > 0) {
                // The chat's last entry is a change (or was removed by hand): its newest message is further back.
                // A query per chat, since only a limit of 1 per chat stops at the first message: one aggregate for
                // all of them could not, as the changeOf filter is not in the index, and would read whole histories.
                message = history.before(chatId, seq, 1).stream().findFirst().orElse(null);
            }
            if (message != null) {
                newest.put(chatId, message);
            }
        });
        return newest;
    }

    Map<String, Long> lastSeqs(Collection<String> chatIds) {
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
}
