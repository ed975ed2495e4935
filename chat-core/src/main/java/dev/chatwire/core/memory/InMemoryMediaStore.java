package dev.chatwire.core.memory;

import dev.chatwire.core.MediaInfo;
import dev.chatwire.core.MediaUpload;
import dev.chatwire.core.spi.HealthCheck;
import dev.chatwire.core.spi.MediaStore;
import dev.chatwire.core.spi.MediaTooLargeException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link MediaStore} holding bytes in the heap of one JVM. Thread-safe. */
public final class InMemoryMediaStore implements MediaStore, HealthCheck {

    private record Stored(MediaInfo info, byte[] bytes) {
    }

    private final Map<String, Stored> media = new ConcurrentHashMap<>();
    /** Bytes stored per uploader, changed with each put and delete. */
    private final Map<String, Long> bytesByOwner = new ConcurrentHashMap<>();

    @Override
    public MediaInfo put(MediaUpload upload, InputStream content, long maxBytes) {
        byte[] bytes;
        try {
            bytes = content.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        } catch (IOException e) {
            throw new UncheckedIOException("reading upload", e);
        }
        if (bytes.length > maxBytes) {
            throw new MediaTooLargeException(maxBytes);
        }
        MediaInfo info = new MediaInfo(UUID.randomUUID().toString(), upload.chatId(), upload.ownerId(), upload.name(),
                upload.mimeType(), bytes.length, upload.createdAt());
        media.put(info.id(), new Stored(info, bytes));
        bytesByOwner.merge(info.ownerId(), info.size(), Long::sum);
        return info;
    }

    @Override
    public Optional<MediaInfo> find(String mediaId) {
        return Optional.ofNullable(media.get(mediaId)).map(Stored::info);
    }

    @Override
    public Optional<InputStream> open(String mediaId) {
        return Optional.ofNullable(media.get(mediaId)).map(stored -> new ByteArrayInputStream(stored.bytes()));
    }

    @Override
    public boolean delete(String mediaId) {
        Stored removed = media.remove(mediaId);
        if (removed == null) {
            return false;
        }
        bytesByOwner.computeIfPresent(removed.info().ownerId(), (owner, bytes) -> {
            long left = bytes - removed.info().size();
            return left == 0 ? null : left;
        });
        return true;
    }

    @Override
    public long bytesStoredBy(String ownerId) {
        return bytesByOwner.getOrDefault(ownerId, 0L);
    }


    /** Always up: there is no backend to lose. */
    @Override
    public Health checkHealth() {
        return Health.up("in memory");
    }
}
