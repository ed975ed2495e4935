package dev.chatwire.mongo;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import dev.chatwire.core.Message;
import dev.chatwire.core.TimelineEntry;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static dev.chatwire.mongo.MessageDocuments.CHAT_MEDIA_INDEX;
import static dev.chatwire.mongo.MessageDocuments.CHAT_SEQ_INDEX;
import static dev.chatwire.mongo.MessageDocuments.HAS_MEDIA;
import static dev.chatwire.mongo.MessageDocuments.IS_MESSAGE;
import static dev.chatwire.mongo.MessageDocuments.toMessage;

/** Reads one chat's history: pages of messages or of timeline entries, and single messages by id. */
final class HistoryReader {

    private final MongoCollection<Document> messages;
    private final long maxTimeMillis;

    HistoryReader(MongoCollection<Document> messages, long maxTimeMillis) {
        this.messages = messages;
        this.maxTimeMillis = maxTimeMillis;
    }

    List<Message> after(String chatId, long afterSeq, int limit) {
        requirePositive(limit);
        try {
            return history(Filters.and(Filters.eq("chatId", chatId), Filters.gt("seq", afterSeq), IS_MESSAGE),
                    Sorts.ascending("seq"), limit);
        } catch (MongoException e) {
            throw MongoFailures.unavailable("history query", e);
        }
    }

    List<Message> before(String chatId, long beforeSeq, int limit) {
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

    /** What {@link MongoMessageStore#timeline} documents: a page, then its changes' messages by {@code _id}. */
    List<TimelineEntry> timeline(String chatId, long afterSeq, int limit) {
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
                if (document.getString("removed") != null) {
                    entries.add(TimelineEntry.removal(seq, document.getString("removed")));
                    continue;
                }
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
    Optional<Message> find(String chatId, String messageId) {
        Optional<ObjectId> id = MessageDocuments.parseId(messageId);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(messages.find(Filters.and(Filters.eq("_id", id.get()),
                                    Filters.eq("chatId", chatId), IS_MESSAGE))
                            .maxTime(maxTimeMillis, TimeUnit.MILLISECONDS)
                            .first())
                    .map(MessageDocuments::toMessage);
        } catch (MongoException e) {
            throw MongoFailures.unavailable("message lookup", e);
        }
    }

    /** One lookup along the partial {@code chatId, attachment.mediaId} index, which it names as its hint. */
    Optional<Message> findByMedia(String chatId, String mediaId) {
        try {
            return Optional.ofNullable(messages.find(Filters.and(Filters.eq("chatId", chatId), HAS_MEDIA,
                                    Filters.eq("attachment.mediaId", mediaId), IS_MESSAGE))
                            .hint(CHAT_MEDIA_INDEX)
                            .maxTime(maxTimeMillis, TimeUnit.MILLISECONDS)
                            .first())
                    .map(MessageDocuments::toMessage);
        } catch (MongoException e) {
            throw MongoFailures.unavailable("message lookup by media", e);
        }
    }

    private List<Message> history(Bson filter, Bson sort, int limit) {
        List<Message> result = new ArrayList<>();
        messages.find(filter).sort(sort).limit(limit).hint(CHAT_SEQ_INDEX)
                .maxTime(maxTimeMillis, TimeUnit.MILLISECONDS)
                .forEach(document -> result.add(toMessage(document)));
        return result;
    }

    private static void requirePositive(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be 1 or more, was " + limit);
        }
    }
}
