package dev.chatwire.core;

import java.time.Instant;
import java.util.Objects;

/**
 * What is known about bytes before a {@link dev.chatwire.core.spi.MediaStore} stores them.
 *
 * @param chatId    the chat whose members may read the bytes
 * @param ownerId   the uploading user
 * @param name      the client's file name, or {@code null}
 * @param mimeType  the sniffed media type
 * @param createdAt the upload time
 */
public record MediaUpload(String chatId, String ownerId, String name, String mimeType, Instant createdAt) {

    /** Validates every field. */
    public MediaUpload {
        Validate.notBlank(chatId, "chatId");
        Validate.notBlank(ownerId, "ownerId");
        Validate.notBlank(mimeType, "mimeType");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
