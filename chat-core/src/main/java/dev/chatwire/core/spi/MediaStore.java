package dev.chatwire.core.spi;

import dev.chatwire.core.MediaInfo;
import dev.chatwire.core.MediaUpload;

import java.io.InputStream;
import java.util.Optional;

/**
 * The bytes of attachments.
 *
 * <p>Thread-safe. Every method blocks on the backing store and throws {@link UnavailableException} when it fails. An
 * id the store could never have issued is treated as unknown.
 */
public interface MediaStore {

    /**
     * Stores bytes, reading {@code content} to its end (the caller closes it).
     *
     * @param maxBytes the most bytes accepted; a longer stream stores nothing and throws {@link MediaTooLargeException}
     * @return what was stored, with its new id and its size
     */
    MediaInfo put(MediaUpload upload, InputStream content, long maxBytes);

    /** What is stored under this id, if anything. */
    Optional<MediaInfo> find(String mediaId);

    /** The stored bytes, if any; the caller closes the stream. */
    Optional<InputStream> open(String mediaId);

    /** Deletes the bytes; returns whether there were any. */
    boolean delete(String mediaId);

    /**
     * How many bytes are stored for this uploader: the sum of the {@linkplain MediaInfo#size() sizes} of the media
     * {@linkplain #put put} with this {@link MediaUpload#ownerId()} and not deleted since; 0 for an uploader with none.
     * The engine asks before storing a user's upload when it enforces a per-user quota
     * ({@code ChatLimits.maxStoredBytesPerUser}), so it should cost one indexed query, not a scan of the bytes.
     *
     * <p>The default refuses: a store written before quotas existed keeps working, and an engine given a quota fails
     * the upload with this exception's message (as {@code internal}) instead of letting every user past the quota.
     *
     * @throws UnsupportedOperationException unless the store counts its bytes per uploader
     */
    default long bytesStoredBy(String ownerId) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not count bytes per uploader: "
                + "implement MediaStore.bytesStoredBy to use ChatLimits.maxStoredBytesPerUser");
    }
}
