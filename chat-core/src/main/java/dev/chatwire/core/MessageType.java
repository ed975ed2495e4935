package dev.chatwire.core;

import java.util.Locale;

/** What a message carries. On the wire the names are lowercase: {@code text}, {@code image}, ... */
public enum MessageType {
    /** Text only. */
    TEXT,
    /** An image attachment, with optional caption text. */
    IMAGE,
    /** A video attachment. */
    VIDEO,
    /** An audio attachment. */
    AUDIO,
    /** Any other attachment. */
    FILE;

    /** The lowercase name used in the JSON protocol and in stored documents. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name, case-insensitively. */
    public static MessageType fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** The message type for an attachment of the given (sniffed) media type. */
    public static MessageType forMediaType(String mimeType) {
        if (mimeType.startsWith("image/")) {
            return IMAGE;
        }
        if (mimeType.startsWith("video/")) {
            return VIDEO;
        }
        if (mimeType.startsWith("audio/")) {
            return AUDIO;
        }
        return FILE;
    }
}
