package dev.chatwire.core.spi;

/** Thrown by {@link MediaStore#put} when the content is longer than the limit it was given; nothing was stored. */
public class MediaTooLargeException extends RuntimeException {

    /** Creates the exception for the given limit. */
    public MediaTooLargeException(long maxBytes) {
        super("media exceeds " + maxBytes + " bytes");
    }
}
