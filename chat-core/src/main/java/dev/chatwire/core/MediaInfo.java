package dev.chatwire.core;

import java.time.Instant;
import java.util.Objects;

/**
 * What a {@link dev.chatwire.core.spi.MediaStore} knows about stored bytes.
 *
 * @param id        the store-assigned id
 * @param chatId    the chat whose members may read the bytes
 * @param ownerId   the user who uploaded them
 * @param name      the file name the client gave, or {@code null}
 * @param mimeType  the sniffed media type
 * @param size      the size in bytes
 * @param createdAt when the bytes were stored
 */
public record MediaInfo(String id, String chatId, String ownerId, String name, String mimeType, long size,
                        Instant createdAt) {

    /** Validates every field. */
    public MediaInfo {
        Validate.notBlank(id, "id");
        Validate.notBlank(chatId, "chatId");
        Validate.notBlank(ownerId, "ownerId");
        Validate.notBlank(mimeType, "mimeType");
        Validate.notNegative(size, "size");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
