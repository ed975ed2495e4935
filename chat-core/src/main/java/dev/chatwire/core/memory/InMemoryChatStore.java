package dev.chatwire.core.memory;

import dev.chatwire.core.Chat;
import dev.chatwire.core.spi.ChatStore;
import dev.chatwire.core.spi.HealthCheck;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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

    @Override
    public synchronized Chat create(Set<String> participants, String name, Instant createdAt) {
        Chat chat = new Chat(UUID.randomUUID().toString(), participants, name, createdAt);
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
    public synchronized Optional<Chat> addParticipant(String chatId, String userId) {
        Chat chat = chats.get(chatId);
        if (chat == null) {
            return Optional.empty();
        }
        Set<String> participants = new LinkedHashSet<>(chat.participants());
        participants.add(userId);
        Chat updated = new Chat(chat.id(), participants, chat.name(), chat.createdAt());
        chats.put(chatId, updated);
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
        Set<String> participants = new LinkedHashSet<>(chat.participants());
        participants.remove(userId);
        Chat updated = new Chat(chat.id(), participants, chat.name(), chat.createdAt());
        chats.put(chatId, updated);
        chatIdsByUser.get(userId).remove(chatId);
        return Optional.of(updated);
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
