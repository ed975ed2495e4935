package dev.chatwire.mongo;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import dev.chatwire.core.Message;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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

    ChatListQueries(MongoCollection<Document> messages, long maxTimeMillis) {
        this.messages = messages;
        this.maxTimeMillis = maxTimeMillis;
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
                    .forEach(group -> counts.put(group.getString("_id"), group.get("unread", Number.class).longValue()));
            return counts;
        } catch (MongoException e) {
            throw MongoFailures.unavailable("unread count", e);
        }
    }

    Map<String, Message> newest(Collection<String> chatIds) {
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
                            MessageDocuments.toMessage(group.get("message", Document.class))));
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
