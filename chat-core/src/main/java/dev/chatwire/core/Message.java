package dev.chatwire.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A stored message in its current state: one entry in its chat's timeline.
 *
 * <p>{@code seq} orders the chat's timeline: unique within the chat and increasing in the order entries were stored.
 * Clients remember the last {@code seq} they saw per chat and resume from it. An edit, a delete or a reaction takes
 * a further seq of the same timeline (a {@link TimelineEntry} whose seq is not the message's), so that resume
 * replays it too; the message keeps its own seq and shows its state after every change.
 *
 * @param id              the store-assigned id, unique across chats
 * @param chatId          the chat it belongs to
 * @param seq             its position in the chat's timeline, 1 or more
 * @param senderId        the user who sent it
 * @param type            what it carries; a deleted message keeps its type
 * @param text            the text or caption, or {@code null} when it is an attachment without caption or deleted
 * @param attachment      the file, or {@code null} for a text message or a deleted one
 * @param clientMessageId the sender's idempotency key, or {@code null}
 * @param createdAt       when it was stored
 * @param editedAt        when its text was last edited, or {@code null} if never
 * @param deleted         whether it was deleted: then its text and attachment are gone
 * @param reactions       each emoji to the users who reacted with it, in the order they did; no emoji without users
 */
public record Message(String id, String chatId, long seq, String senderId, MessageType type, String text,
                      Attachment attachment, String clientMessageId, Instant createdAt, Instant editedAt,
                      boolean deleted, Map<String, List<String>> reactions) {

    /** Validates every field and freezes the reactions. */
    public Message {
        Validate.notBlank(id, "id");
        Validate.notBlank(chatId, "chatId");
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be 1 or more, was " + seq);
        }
        Validate.notBlank(senderId, "senderId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(createdAt, "createdAt");
        if (deleted) {
            if (text != null || attachment != null) {
                throw new IllegalArgumentException("a deleted message keeps no text and no attachment");
            }
        } else {
            MessageDraft.checkContent(type, text, attachment);
        }
        reactions = frozen(reactions);
    }

    /** A message as sent: never edited, not deleted, without reactions. */
    public Message(String id, String chatId, long seq, String senderId, MessageType type, String text,
                   Attachment attachment, String clientMessageId, Instant createdAt) {
        this(id, chatId, seq, senderId, type, text, attachment, clientMessageId, createdAt, null, false, Map.of());
    }

    /** This message with its text replaced, edited at {@code at}. */
    public Message edited(String newText, Instant at) {
        return new Message(id, chatId, seq, senderId, type, newText, attachment, clientMessageId, createdAt, at,
                false, reactions);
    }

    /** This message deleted: its text and attachment gone, its reactions kept. */
    public Message asDeleted() {
        return new Message(id, chatId, seq, senderId, type, null, null, clientMessageId, createdAt, editedAt, true,
                reactions);
    }

    /** This message with {@code userId}'s reaction {@code emoji} added ({@code active}) or removed. */
    public Message reacted(String userId, String emoji, boolean active) {
        Map<String, List<String>> changed = new LinkedHashMap<>(reactions);
        List<String> users = new ArrayList<>(changed.getOrDefault(emoji, List.of()));
        if (active && !users.contains(userId)) {
            users.add(userId);
        } else if (!active) {
            users.remove(userId);
        }
        if (users.isEmpty()) {
            changed.remove(emoji);
        } else {
            changed.put(emoji, users);
        }
        return new Message(id, chatId, seq, senderId, type, text, attachment, clientMessageId, createdAt, editedAt,
                deleted, changed);
    }

    /** This message with a change applied, changed at {@code at}. */
    public Message with(MessageChange change, Instant at) {
        if (change instanceof MessageChange.Edit edit) {
            return edited(edit.text(), at);
        }
        if (change instanceof MessageChange.React react) {
            return reacted(react.userId(), react.emoji(), react.active());
        }
        return asDeleted();
    }

    private static Map<String, List<String>> frozen(Map<String, List<String>> reactions) {
        if (reactions == null || reactions.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> copy = new LinkedHashMap<>();
        reactions.forEach((emoji, users) -> {
            Validate.notBlank(emoji, "emoji");
            if (users != null && !users.isEmpty()) {
                users.forEach(user -> Validate.notBlank(user, "reacting user"));
                copy.put(emoji, List.copyOf(users));
            }
        });
        return Collections.unmodifiableMap(copy);
    }
}
