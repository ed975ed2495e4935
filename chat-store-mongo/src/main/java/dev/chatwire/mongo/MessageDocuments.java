package dev.chatwire.mongo;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import dev.chatwire.core.Attachment;
import dev.chatwire.core.Message;
import dev.chatwire.core.MessageType;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The messages collection's layout in code: its indexes, the filter that tells messages from changes, and the mapping
 * between a {@link Message} and its document. {@link MongoMessageStore}'s class documentation shows the layout.
 */
final class MessageDocuments {

    /** Unique: takes each seq of a chat once, and serves every history query (each names it as its hint). */
    static final Bson CHAT_SEQ_INDEX = Indexes.ascending("chatId", "seq");
    /** Unique: one stored message per send, however retried. */
    static final Bson IDEMPOTENCY_INDEX = Indexes.ascending("chatId", "senderId", "idempotencyKey");

    /**
     * Partial, over file messages only ({@link #HAS_MEDIA}): finds the message carrying a file, for a participant from
     * whom older history is hidden, without costing text messages an index entry.
     */
    static final Bson CHAT_MEDIA_INDEX = Indexes.ascending("chatId", "attachment.mediaId");
    /** The partial filter of {@link #CHAT_MEDIA_INDEX}; a query must name it to be served by that index. */
    static final Bson HAS_MEDIA = Filters.exists("attachment.mediaId");

    /** Matches message documents and leaves change documents out. */
    static final Bson IS_MESSAGE = Filters.exists("changeOf", false);

    private MessageDocuments() {
    }

    /** Only ids this store could have issued; anything else is unknown, never an error or a query. */
    static Optional<ObjectId> parseId(String messageId) {
        return messageId != null && ObjectId.isValid(messageId) ? Optional.of(new ObjectId(messageId))
                : Optional.empty();
    }

    /** BSON dates hold milliseconds; the returned message equals the one read back later. */
    static Message withMillis(Message m) {
        return new Message(m.id(), m.chatId(), m.seq(), m.senderId(), m.type(), m.text(), m.attachment(),
                m.clientMessageId(), m.createdAt().truncatedTo(ChronoUnit.MILLIS));
    }

    /** A new message's document, whose {@code _id} is {@code id}; a new message has no edits, deletion or reactions. */
    static Document toDocument(Message message, ObjectId id) {
        Document document = new Document("_id", id)
                .append("chatId", message.chatId())
                .append("seq", message.seq())
                .append("senderId", message.senderId())
                .append("type", message.type().wireName());
        if (message.text() != null) {
            document.append("text", message.text());
        }
        Attachment attachment = message.attachment();
        if (attachment != null) {
            Document file = new Document("mediaId", attachment.mediaId())
                    .append("mimeType", attachment.mimeType())
                    .append("size", attachment.size());
            if (attachment.name() != null) {
                file.append("name", attachment.name());
            }
            document.append("attachment", file);
        }
        if (message.clientMessageId() != null) {
            document.append("clientMessageId", message.clientMessageId());
        }
        return document
                .append("idempotencyKey", message.clientMessageId() != null ? message.clientMessageId() : id)
                .append("createdAt", Date.from(message.createdAt()));
    }

    /** The message a message document holds, in its current state; never called with a change document. */
    static Message toMessage(Document document) {
        Document file = document.get("attachment", Document.class);
        Attachment attachment = file == null ? null : new Attachment(file.getString("mediaId"),
                file.getString("mimeType"), file.get("size", Number.class).longValue(), file.getString("name"));
        return new Message(
                document.getObjectId("_id").toHexString(),
                document.getString("chatId"),
                document.get("seq", Number.class).longValue(),
                document.getString("senderId"),
                MessageType.fromWireName(document.getString("type")),
                document.getString("text"),
                attachment,
                document.getString("clientMessageId"),
                document.getDate("createdAt").toInstant(),
                Optional.ofNullable(document.getDate("editedAt")).map(Date::toInstant).orElse(null),
                document.getBoolean("deleted", false),
                reactions(document.get("reactions", Document.class)));
    }

    /** Each emoji to its users, in stored order; an emoji whose last user took the reaction back is left out. */
    private static Map<String, List<String>> reactions(Document stored) {
        if (stored == null || stored.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> reactions = new LinkedHashMap<>();
        stored.forEach((key, users) -> {
            List<?> list = (List<?>) users;
            if (!list.isEmpty()) {
                reactions.put(ReactionKeys.decode(key), list.stream().map(String.class::cast).toList());
            }
        });
        return reactions;
    }
}
