package dev.chatwire.core;

import java.util.Objects;

/**
 * The file a message carries: a reference to bytes held by a {@link dev.chatwire.core.spi.MediaStore}.
 *
 * @param mediaId  the media store's id for the bytes
 * @param mimeType the media type sniffed from the bytes, never the client's claim
 * @param size     the size in bytes
 * @param name     the file name the client gave, or {@code null}
 */
public record Attachment(String mediaId, String mimeType, long size, String name) {

    /** Validates every field. */
    public Attachment {
        Validate.notBlank(mediaId, "mediaId");
        Validate.notBlank(mimeType, "mimeType");
        Validate.notNegative(size, "size");
    }

    /** The path a client fetches the bytes from, relative to the REST API root. */
    public String url() {
        return "/api/media/" + mediaId;
    }

    /** Builds an attachment from stored media. */
    public static Attachment of(MediaInfo media) {
        Objects.requireNonNull(media, "media");
        return new Attachment(media.id(), media.mimeType(), media.size(), media.name());
    }
}
