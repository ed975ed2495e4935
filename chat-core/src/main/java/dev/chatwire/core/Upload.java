package dev.chatwire.core;

import java.io.InputStream;
import java.util.Objects;

/**
 * A file a client sends with a message. Its media type is sniffed from the bytes; the client's claim is ignored.
 *
 * @param name    the file name the client gave, or {@code null}
 * @param content the bytes; the caller closes the stream after the send
 */
public record Upload(String name, InputStream content) {

    /** Requires content. */
    public Upload {
        Objects.requireNonNull(content, "content");
    }
}
