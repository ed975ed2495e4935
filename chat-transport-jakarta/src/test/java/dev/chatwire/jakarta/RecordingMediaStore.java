package dev.chatwire.jakarta;

import dev.chatwire.core.MediaInfo;
import dev.chatwire.core.MediaUpload;
import dev.chatwire.core.memory.InMemoryMediaStore;
import dev.chatwire.core.spi.MediaStore;

import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The in-memory media store, counting what it was asked to store per chat, so tests can say nothing was. */
final class RecordingMediaStore implements MediaStore {

    private final InMemoryMediaStore delegate = new InMemoryMediaStore();
    private final Map<String, AtomicInteger> puts = new ConcurrentHashMap<>();

    @Override
    public MediaInfo put(MediaUpload upload, InputStream content, long maxBytes) {
        puts.computeIfAbsent(upload.chatId(), chat -> new AtomicInteger()).incrementAndGet();
        return delegate.put(upload, content, maxBytes);
    }

    @Override
    public Optional<MediaInfo> find(String mediaId) {
        return delegate.find(mediaId);
    }

    @Override
    public Optional<InputStream> open(String mediaId) {
        return delegate.open(mediaId);
    }

    @Override
    public boolean delete(String mediaId) {
        return delegate.delete(mediaId);
    }

    @Override
    public long bytesStoredBy(String ownerId) {
        return delegate.bytesStoredBy(ownerId);
    }

    /** How many uploads to this chat reached the store, stored or not. */
    int putsFor(String chatId) {
        AtomicInteger count = puts.get(chatId);
        return count == null ? 0 : count.get();
    }
}
