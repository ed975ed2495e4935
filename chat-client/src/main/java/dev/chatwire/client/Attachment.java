package dev.chatwire.client;

/**
 * The file a message carries.
 *
 * @param mediaId  the server's id for the bytes
 * @param url      where the bytes are served, relative to the server ({@code /api/media/{mediaId}})
 * @param mimeType the media type the server sniffed from the bytes
 * @param size     the size in bytes
 * @param name     the file name the sender gave, or {@code null}
 */
public record Attachment(String mediaId, String url, String mimeType, long size, String name) {
}
