package dev.chatwire.core.memory;

import dev.chatwire.core.Attachment;
import dev.chatwire.core.Message;
import dev.chatwire.core.MessageChange;
import dev.chatwire.core.MessageDraft;
import dev.chatwire.core.MessageType;
import dev.chatwire.core.TimelineEntry;
import dev.chatwire.core.spi.HealthCheck;
import dev.chatwire.core.spi.MessageStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link MessageStore} in the heap of one JVM: for tests, demos and single-node hosts that may lose history on
 * restart. Seqs are gap-free; a change to a message takes a seq like a message does. Thread-safe; appends to one chat
 * are serialized, different chats do not contend.
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
    public List<TimelineEntry> timeline(String chatId, long afterSeq, int limit) {
        requirePositive(limit);
        Timeline timeline = timelines.get(chatId);
        return timeline == null ? List.of() : timeline.entries(afterSeq, limit);
    }

    @Override
    public Optional<Message> find(String chatId, String messageId) {
        Timeline timeline = timelines.get(chatId);
        return timeline == null ? Optional.empty() : timeline.find(messageId);
    }

    @Override
    public Optional<TimelineEntry> change(String chatId, String messageId, MessageChange change, Instant at) {
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(at, "at");
        Timeline timeline = timelines.get(chatId);
        return timeline == null ? Optional.empty() : timeline.change(messageId, change, at);
    }

    @Override
    public TimelineEntry recordRemoval(String chatId, String userId, Instant at) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(at, "at");
        Timeline timeline = timelines.get(chatId);
        if (timeline == null) {
            timeline = timelines.computeIfAbsent(chatId, Timeline::new);
        }
        return timeline.recordRemoval(userId);
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
                          String clientMessageId, Instant createdAt, Instant editedAt, boolean deleted,
                          Map<String, List<String>> reactions) implements Entry {

        static Stored of(Message message) {
            return new Stored((int) message.seq() - 1, message.senderId(), message.type(), message.text(),
                    message.attachment(), message.clientMessageId(), message.createdAt(), message.editedAt(),
                    message.deleted(), message.reactions());
        }
    }

    /**
     * What one seq of a timeline holds: a message, a change to the message at {@code messageIndex}, or a
     * participant's removal.
     */
    private sealed interface Entry permits Stored, Changed, Removed {
    }

    private record Changed(int messageIndex) implements Entry {
    }

    private record Removed(String userId) implements Entry {
    }

    /** One chat's timeline; index i holds seq i + 1. */
    private static final class Timeline {
        /** One copy of the chat id for all its messages: they stay in the heap as long as the store does. */
        private final String chatId;
        private final List<Entry> entries = new ArrayList<>();
        private final Map<ClientKey, Integer> byClientKey = new HashMap<>();

        Timeline(String chatId) {
            this.chatId = chatId;
        }

        synchronized Appended append(MessageDraft draft) {
            ClientKey key = draft.clientMessageId() == null ? null
                    : new ClientKey(draft.senderId(), draft.clientMessageId());
            if (key != null) {
                Integer earlier = byClientKey.get(key);
                if (earlier != null) {
                    return new Appended(message(earlier), false);
                }
            }
            int index = entries.size();
            entries.add(new Stored(index, draft.senderId(), draft.type(), draft.text(), draft.attachment(),
                    draft.clientMessageId(), draft.createdAt(), null, false, Map.of()));
            if (key != null) {
                byClientKey.put(key, index);
            }
            return new Appended(message(index), true);
        }

        synchronized List<Appended> appendAll(List<MessageDraft> drafts) {
            return drafts.stream().map(this::append).toList();
        }

        synchronized List<Message> after(long afterSeq, int limit) {
            List<Message> page = new ArrayList<>();
            for (int i = (int) Math.min(Math.max(afterSeq, 0), entries.size()); i < entries.size()
                    && page.size() < limit; i++) {
                if (entries.get(i) instanceof Stored) {
                    page.add(message(i));
                }
            }
            return page;
        }

        synchronized List<Message> before(long beforeSeq, int limit) {
            List<Message> page = new ArrayList<>();
            for (int i = (int) Math.min(Math.max(beforeSeq - 1, 0), entries.size()) - 1; i >= 0
                    && page.size() < limit; i--) {
                if (entries.get(i) instanceof Stored) {
                    page.add(0, message(i));
                }
            }
            return page;
        }

        synchronized List<TimelineEntry> entries(long afterSeq, int limit) {
            int from = (int) Math.min(Math.max(afterSeq, 0), entries.size());
            List<TimelineEntry> page = new ArrayList<>();
            for (int i = from; i < Math.min(entries.size(), from + limit); i++) {
                Entry entry = entries.get(i);
                if (entry instanceof Removed removed) {
                    page.add(TimelineEntry.removal(i + 1L, removed.userId()));
                    continue;
                }
                int messageIndex = entry instanceof Changed changed ? changed.messageIndex() : i;
                page.add(new TimelineEntry(i + 1L, message(messageIndex)));
            }
            return page;
        }

        synchronized Optional<Message> find(String messageId) {
            return indexOf(messageId).map(this::message);
        }

        synchronized Optional<TimelineEntry> change(String messageId, MessageChange change, Instant at) {
            Optional<Integer> index = indexOf(messageId);
            if (index.isEmpty() || ((Stored) entries.get(index.get())).deleted()) {
                return Optional.empty();
            }
            Message changed = message(index.get()).with(change, at);
            entries.set(index.get(), Stored.of(changed));
            entries.add(new Changed(index.get()));
            return Optional.of(new TimelineEntry(entries.size(), changed));
        }

        synchronized TimelineEntry recordRemoval(String userId) {
            entries.add(new Removed(userId));
            return TimelineEntry.removal(entries.size(), userId);
        }

        /** The index of the message with this id: ids are the chat id, a colon and the seq. */
        private Optional<Integer> indexOf(String messageId) {
            String prefix = chatId + ':';
            if (messageId == null || !messageId.startsWith(prefix)) {
                return Optional.empty();
            }
            try {
                long seq = Long.parseLong(messageId.substring(prefix.length()));
                if (seq < 1 || seq > entries.size() || !(entries.get((int) seq - 1) instanceof Stored)) {
                    return Optional.empty();
                }
                return Optional.of((int) seq - 1);
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }

        private Message message(int index) {
            Stored stored = (Stored) entries.get(index);
            long seq = index + 1L;
            // Unique without a random draw: chat ids are unique and a seq is never reused within a chat.
            return new Message(chatId + ':' + seq, chatId, seq, stored.senderId(), stored.type(), stored.text(),
                    stored.attachment(), stored.clientMessageId(), stored.createdAt(), stored.editedAt(),
                    stored.deleted(), stored.reactions());
        }

        synchronized long lastSeq() {
            return entries.size();
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
