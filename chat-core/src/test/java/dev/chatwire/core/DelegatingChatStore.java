package dev.chatwire.core;

import dev.chatwire.core.spi.ChatStore;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A chat store that forwards every call; tests override a method to watch it or to change its answer. */
class DelegatingChatStore implements ChatStore {

    private final ChatStore delegate;

    DelegatingChatStore(ChatStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public Chat create(String owner, Set<String> participants, String name, Instant createdAt) {
        return delegate.create(owner, participants, name, createdAt);
    }

    @Override
    public Optional<Chat> find(String chatId) {
        return delegate.find(chatId);
    }

    @Override
    public List<Chat> chatsOf(String userId) {
        return delegate.chatsOf(userId);
    }

    @Override
    public void touch(String chatId, Instant at) {
        delegate.touch(chatId, at);
    }

    @Override
    public List<ChatActivity> chatsByActivity(String userId, ChatActivity.Position after, int limit) {
        return delegate.chatsByActivity(userId, after, limit);
    }

    @Override
    public Optional<Chat> addParticipant(String chatId, String userId) {
        return addParticipant(chatId, userId, 0);
    }

    @Override
    public Optional<Chat> addParticipant(String chatId, String userId, long joinSeq) {
        return delegate.addParticipant(chatId, userId, joinSeq);
    }

    @Override
    public Optional<Chat> removeParticipant(String chatId, String userId) {
        return delegate.removeParticipant(chatId, userId);
    }

    @Override
    public Optional<Chat> setAdmin(String chatId, String userId, boolean admin) {
        return delegate.setAdmin(chatId, userId, admin);
    }

    @Override
    public Optional<Chat> accept(String chatId, String userId) {
        return delegate.accept(chatId, userId);
    }
}
