package dev.chatwire.core;

import java.io.InputStream;
import java.util.Objects;

/**
 * Stored media a user may read, from {@link ChatEngine#openMedia}.
 *
 * @param info    what the store knows about it
 * @param content the bytes; the caller closes the stream
 */
public record MediaDownload(MediaInfo info, InputStream content) {

    /** Requires both fields. */
    public MediaDownload {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(content, "content");
    }
}
