package dev.chatwire.core;

import org.apache.tika.Tika;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Tells a file's media type from its first bytes (Apache Tika's magic numbers), never from what the client claims. */
final class MediaSniffer {

    private final Tika tika = new Tika();

    /**
     * The media type of the bytes at the stream's start.
     *
     * @param content a stream that supports mark and reset; it is reset to where it was
     */
    String detect(InputStream content) {
        try {
            return tika.detect(content);
        } catch (IOException e) {
            throw new UncheckedIOException("reading upload", e);
        }
    }
}
