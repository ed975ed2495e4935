package dev.chatwire.core.memory;

import dev.chatwire.core.Chat;
import dev.chatwire.core.ChatActivity;
import dev.chatwire.core.spi.ChatStore;
import dev.chatwire.core.spi.HealthCheck;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link ChatStore} in the heap of one JVM, indexed by participant. Thread-safe: {@link #find}, which every send
 * calls, reads without locking (chats are immutable and replaced whole); changes and the participant index share one
 * lock.
 */
public final class InMemoryChatStore implements ChatStore, HealthCheck {

    private final Map<String, Chat> chats = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> chatIdsByUser = new HashMap<>();
    /** Each chat's newest activity, once it had any; its creation until then. */
    private final Map<String, Instant> activity = new ConcurrentHashMap<>();

    @Override
    public synchronized Chat create(String owner, Set<String> participants, String name, Instant createdAt) {
        if (!participants.contains(owner)) {
            throw new IllegalArgumentException("the owner must be a participant");
        }
        Chat chat = new Chat(UUID.randomUUID().toString(), participants, name, createdAt, owner, Set.of(),
                Set.of(owner));
        chats.put(chat.id(), chat);
        chat.participants().forEach(user -> index(user, chat.id()));
        return chat;
    }

    @Override
    public Optional<Chat> find(String chatId) {
        return chatId == null ? Optional.empty() : Optional.ofNullable(chats.get(chatId));
    }

    @Override
    public synchronized List<Chat> chatsOf(String userId) {
        return chatIdsByUser.getOrDefault(userId, Set.of()).stream().map(chats::get).toList();
    }

    @Override
    public void touch(String chatId, Instant at) {
        Objects.requireNonNull(at, "at");
        if (chatId != null && chats.containsKey(chatId)) {
            activity.merge(chatId, at, (older, newer) -> newer.isAfter(older) ? newer : older);
        }
    }

    /** Sorts the user's chats on every call: fine for the chats one user takes part in, kept in one heap. */
    @Override
    public synchronized List<ChatActivity> chatsByActivity(String userId, ChatActivity.Position after, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be 1 or more, was " + limit);
        }
        return chatIdsByUser.getOrDefault(userId, Set.of()).stream()
                .map(chats::get)
                .map(chat -> new ChatActivity(chat, activity.getOrDefault(chat.id(), chat.createdAt())))
                .filter(entry -> after == null || after.isFollowedBy(entry.activityAt(), entry.chat().id()))
                .sorted(Comparator.comparing(ChatActivity::activityAt).thenComparing(entry -> entry.chat().id())
                        .reversed())
                .limit(limit)
                .toList();
    }

    @Override
    public Optional<Chat> addParticipant(String chatId, String userId) {
        return addParticipant(chatId, userId, 0);
    }

    @Override
    public synchronized Optional<Chat> addParticipant(String chatId, String userId, long joinSeq) {
        if (joinSeq < 0) {
            throw new IllegalArgumentException("joinSeq must not be negative");
        }
        Chat chat = chats.get(chatId);
        if (chat == null || chat.hasParticipant(userId)) {
            return Optional.ofNullable(chat);
        }
        Map<String, Long> joinSeqs = new LinkedHashMap<>(chat.joinSeqs());
        joinSeqs.put(userId, joinSeq);
        Chat updated = replace(chat, with(chat.participants(), userId, true), chat.admins(), chat.accepted(),
                joinSeqs);
        index(userId, chatId);
        return Optional.of(updated);
    }

    @Override
    public synchronized Optional<Chat> removeParticipant(String chatId, String userId) {
        Chat chat = chats.get(chatId);
        if (chat == null) {
            return Optional.empty();
        }
        if (!chat.hasParticipant(userId) || chat.participants().size() == 1) {
            return Optional.of(chat);
        }
        Map<String, Long> joinSeqs = new LinkedHashMap<>(chat.joinSeqs());
        joinSeqs.remove(userId);
        Chat updated = replace(chat, with(chat.participants(), userId, false), with(chat.admins(), userId, false),
                with(chat.accepted(), userId, false), joinSeqs);
        chatIdsByUser.get(userId).remove(chatId);
        return Optional.of(updated);
    }

    @Override
    public synchronized Optional<Chat> setAdmin(String chatId, String userId, boolean admin) {
        Chat chat = chats.get(chatId);
        if (chat == null || !chat.hasParticipant(userId)) {
            return Optional.ofNullable(chat);
        }
        return Optional.of(replace(chat, chat.participants(), with(chat.admins(), userId, admin), chat.accepted(),
                chat.joinSeqs()));
    }

    @Override
    public synchronized Optional<Chat> accept(String chatId, String userId) {
        Chat chat = chats.get(chatId);
        if (chat == null || !chat.hasParticipant(userId)) {
            return Optional.ofNullable(chat);
        }
        return Optional.of(replace(chat, chat.participants(), chat.admins(), with(chat.accepted(), userId, true),
                chat.joinSeqs()));
    }

    private Chat replace(Chat chat, Set<String> participants, Set<String> admins, Set<String> accepted,
                         Map<String, Long> joinSeqs) {
        Chat updated = new Chat(chat.id(), participants, chat.name(), chat.createdAt(), chat.owner(), admins,
                accepted, joinSeqs);
        chats.put(chat.id(), updated);
        return updated;
    }

    private static Set<String> with(Set<String> users, String userId, boolean present) {
        Set<String> changed = new LinkedHashSet<>(users);
        if (present) {
            changed.add(userId);
        } else {
            changed.remove(userId);
        }
        return changed;
    }

    private void index(String userId, String chatId) {
        chatIdsByUser.computeIfAbsent(userId, u -> new LinkedHashSet<>()).add(chatId);
    }

    /** Always up: there is no backend to lose. */
    @Override
    public Health checkHealth() {
        return Health.up("in memory");
    }
}
