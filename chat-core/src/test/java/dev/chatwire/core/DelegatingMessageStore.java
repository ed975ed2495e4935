package dev.chatwire.core;

import dev.chatwire.core.spi.MessageStore;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A message store that forwards every call; tests override {@link #append} to make it fail in a chosen way. */
class DelegatingMessageStore implements MessageStore {

    private final MessageStore delegate;

    DelegatingMessageStore(MessageStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public Appended append(MessageDraft draft) {
        return delegate.append(draft);
    }

    @Override
    public List<Message> after(String chatId, long afterSeq, int limit) {
        return delegate.after(chatId, afterSeq, limit);
    }

    @Override
    public List<Message> before(String chatId, long beforeSeq, int limit) {
        return delegate.before(chatId, beforeSeq, limit);
    }

    @Override
    public List<TimelineEntry> timeline(String chatId, long afterSeq, int limit) {
        return delegate.timeline(chatId, afterSeq, limit);
    }

    @Override
    public TimelineEntry recordRemoval(String chatId, String userId, java.time.Instant at) {
        return delegate.recordRemoval(chatId, userId, at);
    }

    @Override
    public Optional<Message> find(String chatId, String messageId) {
        return delegate.find(chatId, messageId);
    }

    @Override
    public Optional<TimelineEntry> change(String chatId, String messageId, MessageChange change, Instant at) {
        return delegate.change(chatId, messageId, change, at);
    }

    @Override
    public long lastSeq(String chatId) {
        return delegate.lastSeq(chatId);
    }
}
