package dev.chatwire.mongo;

/**
 * Turns a reaction's emoji into a field name of a message's {@code reactions} sub-document, and back.
 *
 * <p>The emoji is user input that becomes part of an update path ({@code reactions.<emoji>}), where a {@code .} would
 * split it into nested fields and a {@code $} could read as a positional operator. So {@code %}, {@code .}, {@code $}
 * and NUL are written as {@code %} and two hex digits; every other character, real emoji included, is kept as it is,
 * so stored keys read as the emoji they are. Since {@code %} itself is escaped, decoding is unambiguous.
 */
final class ReactionKeys {

    private ReactionKeys() {
    }

    /** The field name for {@code emoji}: never empty, with no {@code .}, {@code $} or NUL. */
    static String encode(String emoji) {
        StringBuilder key = new StringBuilder(emoji.length());
        for (int i = 0; i < emoji.length(); i++) {
            char c = emoji.charAt(i);
            if (c == '%' || c == '.' || c == '$' || c == '\0') {
                key.append('%').append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xF, 16));
            } else {
                key.append(c);
            }
        }
        return key.toString();
    }

    /** The emoji a field name written by {@link #encode} stands for. */
    static String decode(String key) {
        if (key.indexOf('%') < 0) {
            return key;
        }
        StringBuilder emoji = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '%' && i + 2 < key.length()) {
                emoji.append((char) Integer.parseInt(key, i + 1, i + 3, 16));
                i += 2;
            } else {
                emoji.append(c);
            }
        }
        return emoji.toString();
    }
}
