package dev.chatwire.core.memory;

import dev.chatwire.core.Attachment;
import dev.chatwire.core.Message;
import dev.chatwire.core.MessageDraft;
import dev.chatwire.core.MessageType;
import dev.chatwire.core.spi.HealthCheck;
import dev.chatwire.core.spi.MessageStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link MessageStore} in the heap of one JVM: for tests, demos and single-node hosts that may lose history on
 * restart. Seqs are gap-free. Thread-safe; appends to one chat are serialized, different chats do not contend.
 */
public final class InMemoryMessageStore implements MessageStore, HealthCheck {

    private final Map<String, Timeline> timelines = new ConcurrentHashMap<>();

    @Override
    public Appended append(MessageDraft draft) {
        Objects.requireNonNull(draft, "draft");
        Timeline timeline = timelines.get(draft.chatId());
        if (timeline == null) {
            // Only for a chat's first message: computeIfAbsent may lock a bin even when the key is there.
            timeline = timelines.computeIfAbsent(draft.chatId(), Timeline::new);
        }
        return timeline.append(draft);
    }

    @Override
    public List<Appended> appendAll(List<MessageDraft> drafts) {
        MessageStore.requireOneChat(drafts);
        String chatId = drafts.get(0).chatId();
        Timeline timeline = timelines.get(chatId);
        if (timeline == null) {
            timeline = timelines.computeIfAbsent(chatId, Timeline::new);
        }
        return timeline.appendAll(drafts);
    }

    @Override
    public List<Message> after(String chatId, long afterSeq, int limit) {
        requirePositive(limit);
        Timeline timeline = timelines.get(chatId);
        return timeline == null ? List.of() : timeline.after(afterSeq, limit);
    }

    @Override
    public List<Message> before(String chatId, long beforeSeq, int limit) {
        requirePositive(limit);
        Timeline timeline = timelines.get(chatId);
        return timeline == null ? List.of() : timeline.before(beforeSeq, limit);
    }

    @Override
    public long lastSeq(String chatId) {
        Timeline timeline = timelines.get(chatId);
        return timeline == null ? 0 : timeline.lastSeq();
    }

    private static void requirePositive(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be 1 or more, was " + limit);
        }
    }

    /**
     * A stored message without what its timeline knows (the chat, and the id made of the chat and the seq), so that
     * the heap keeps about a quarter less per message; {@link Message}s are made again when read.
     *
     * @param index the message's place in its timeline: its seq minus one
     */
    private record Stored(int index, String senderId, MessageType type, String text, Attachment attachment,
                          String clientMessageId, Instant createdAt) {
    }

    /** One chat's messages; index i holds seq i + 1. */
    private static final class Timeline {
        /** One copy of the chat id for all its messages: they stay in the heap as long as the store does. */
        private final String chatId;
        private final List<Stored> messages = new ArrayList<>();
        private final Map<ClientKey, Stored> byClientKey = new HashMap<>();

        Timeline(String chatId) {
            this.chatId = chatId;
        }

        synchronized Appended append(MessageDraft draft) {
            ClientKey key = draft.clientMessageId() == null ? null
                    : new ClientKey(draft.senderId(), draft.clientMessageId());
            if (key != null) {
                Stored earlier = byClientKey.get(key);
                if (earlier != null) {
                    return new Appended(message(earlier), false);
                }
            }
            Stored stored = new Stored(messages.size(), draft.senderId(), draft.type(), draft.text(),
                    draft.attachment(), draft.clientMessageId(), draft.createdAt());
            Message message = message(stored);
            messages.add(stored);
            if (key != null) {
                byClientKey.put(key, stored);
            }
            return new Appended(message, true);
        }

        synchronized List<Appended> appendAll(List<MessageDraft> drafts) {
            return drafts.stream().map(this::append).toList();
        }

        synchronized List<Message> after(long afterSeq, int limit) {
            int from = (int) Math.min(Math.max(afterSeq, 0), messages.size());
            return messages(from, Math.min(messages.size(), from + limit));
        }

        synchronized List<Message> before(long beforeSeq, int limit) {
            int to = (int) Math.min(Math.max(beforeSeq - 1, 0), messages.size());
            return messages(Math.max(0, to - limit), to);
        }

        private List<Message> messages(int from, int to) {
            return messages.subList(from, to).stream().map(this::message).toList();
        }

        private Message message(Stored stored) {
            long seq = stored.index() + 1L;
            // Unique without a random draw: chat ids are unique and a seq is never reused within a chat.
            return new Message(chatId + ':' + seq, chatId, seq, stored.senderId(), stored.type(), stored.text(),
                    stored.attachment(), stored.clientMessageId(), stored.createdAt());
        }

        synchronized long lastSeq() {
            return messages.size();
        }
    }

    /** A sender's idempotency key: the same client message id from two users names two messages. */
    private record ClientKey(String senderId, String clientMessageId) {
    }

    /** Always up: there is no backend to lose. */
    @Override
    public Health checkHealth() {
        return Health.up("in memory");
    }
}
