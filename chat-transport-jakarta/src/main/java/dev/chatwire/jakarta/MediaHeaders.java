package dev.chatwire.jakarta;

import java.nio.charset.StandardCharsets;

/** The {@code Content-Disposition} of downloaded media: never a name that could break out of the header. */
final class MediaHeaders {

    private static final int MAX_NAME_CHARS = 150;
    private static final String HEX = "0123456789ABCDEF";

    private MediaHeaders() {
    }

    /**
     * {@code inline} for images, video and audio (sniffed, and served with {@code nosniff} and a sandboxing CSP), else
     * {@code attachment}; with the client's file name as a plain-ASCII {@code filename} and an RFC 5987
     * {@code filename*}.
     */
    static String contentDisposition(String name, String mimeType) {
        boolean inline = (mimeType.startsWith("image/") || mimeType.startsWith("video/")
                || mimeType.startsWith("audio/")) && !mimeType.contains("svg") && !mimeType.contains("xml");
        String disposition = inline ? "inline" : "attachment";
        if (name == null || name.isBlank()) {
            return disposition;
        }
        String trimmed = name.length() > MAX_NAME_CHARS ? name.substring(0, MAX_NAME_CHARS) : name;
        return disposition + "; filename=\"" + asciiFallback(trimmed) + "\"; filename*=UTF-8''" + encode(trimmed);
    }

    private static String asciiFallback(String name) {
        StringBuilder ascii = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '-' || c == '_' || c == ' ';
            ascii.append(safe ? c : '_');
        }
        return ascii.toString();
    }

    /** Percent-encodes everything but RFC 5987's attr-chars. */
    private static String encode(String name) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            boolean attrChar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$&+-.^_`|~".indexOf(c) >= 0;
            if (attrChar) {
                encoded.append(c);
            } else {
                encoded.append('%').append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xf));
            }
        }
        return encoded.toString();
    }
}
