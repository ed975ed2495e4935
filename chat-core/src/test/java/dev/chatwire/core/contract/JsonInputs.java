package dev.chatwire.core.contract;

import java.util.List;
import java.util.Random;

/**
 * Generators of JSON-ish text for {@link PropertyRunner}: valid documents with the fields a reader knows, the same
 * with values of every JSON type in their place, mutations of valid documents, and random characters. Field names
 * and texts lean on the characters that break parsers: quotes, backslashes, control and format characters, unpaired
 * surrogates, digits and signs.
 */
public final class JsonInputs {

    private static final String[] TRICKY_TEXTS = {
        "", " ", "0", "-1", "12", "1e309", "9223372036854775808", "null", "true", "\\", "\"", "{", "}", "[",
        "\u200b", "\u202e", "\u0000", "\ud800", "\udc00", "\ud83d\ude00", "\ufeff", "a\u0301", "\n", "\t",
        "alice", "chat-1",
    };
    private static final String[] TRICKY_NUMBERS = {
        "0", "-0", "1", "-1", "12.5", "1e3", "-1e-3", "9223372036854775807", "9223372036854775808",
        "-9223372036854775809", "1e309", "0.0", "123456789012345678901234567890",
    };
    /** JSON strings written with escapes, which reach a reader only once decoded. */
    private static final String[] ESCAPED_STRINGS = {
        "\"\\ud800\"", "\"a\\udc00b\"", "\"\\u0000\"", "\"\\u202e\"", "\"\\u200b\"", "\"\\/\"",
    };
    private static final String PUNCTUATION = "{}[]:,\"\\ \t\n";

    private JsonInputs() {
    }

    /**
     * One input: a mutated valid document, a document of random values for the known fields, a valid document with
     * one value replaced, or random text.
     *
     * @param valid  documents a reader accepts
     * @param fields the field names the reader knows, and words it gives meaning to as values (type names)
     */
    public static String document(Random random, List<String> valid, List<String> fields) {
        return switch (random.nextInt(4)) {
            case 0 -> mutate(random, pick(random, valid));
            case 1 -> object(random, fields, 3);
            case 2 -> replaceOneValue(random, pick(random, valid));
            default -> text(random, 40);
        };
    }

    /** A JSON object of up to six members named from {@code fields} (sometimes twice), with random values. */
    public static String object(Random random, List<String> fields, int depth) {
        StringBuilder object = new StringBuilder("{");
        int members = random.nextInt(7);
        for (int i = 0; i < members; i++) {
            if (i > 0) {
                object.append(',');
            }
            String name = random.nextInt(8) == 0 ? text(random, 6) : pick(random, fields);
            object.append(quote(name)).append(':').append(value(random, fields, depth - 1));
        }
        return object.append('}').toString();
    }

    /** A JSON value of any type; objects and arrays nest at most {@code depth} levels. */
    public static String value(Random random, List<String> fields, int depth) {
        int kind = random.nextInt(depth > 0 ? 7 : 5);
        return switch (kind) {
            case 0 -> "null";
            case 1 -> random.nextBoolean() ? "true" : "false";
            case 2 -> random.nextBoolean() ? pick(random, TRICKY_NUMBERS) : Long.toString(random.nextLong());
            case 3 -> switch (random.nextInt(4)) {
                case 0 -> pick(random, ESCAPED_STRINGS);
                case 1 -> quote(pick(random, fields));
                default -> quote(pick(random, TRICKY_TEXTS));
            };
            case 4 -> quote(text(random, 12));
            case 5 -> object(random, fields, depth);
            default -> array(random, fields, depth);
        };
    }

    private static String array(Random random, List<String> fields, int depth) {
        StringBuilder array = new StringBuilder("[");
        int elements = random.nextInt(4);
        for (int i = 0; i < elements; i++) {
            if (i > 0) {
                array.append(',');
            }
            array.append(value(random, fields, depth - 1));
        }
        return array.append(']').toString();
    }

    /** Random characters: JSON punctuation, ASCII, control and format characters, and lone surrogates. */
    public static String text(Random random, int maxChars) {
        int length = random.nextInt(maxChars + 1);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(character(random));
        }
        return text.toString();
    }

    private static char character(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> PUNCTUATION.charAt(random.nextInt(PUNCTUATION.length()));
            case 1 -> (char) random.nextInt(0x20);
            case 2 -> (char) (0xd800 + random.nextInt(0x800));
            case 3 -> (char) random.nextInt(0x10000);
            default -> (char) (0x20 + random.nextInt(0x5f));
        };
    }

    /** {@code document} with one to three characters or ranges inserted, deleted, replaced or repeated. */
    public static String mutate(Random random, String document) {
        StringBuilder mutated = new StringBuilder(document);
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations; m++) {
            int at = random.nextInt(mutated.length() + 1);
            switch (random.nextInt(5)) {
                case 0 -> mutated.insert(at, character(random));
                case 1 -> {
                    if (at < mutated.length()) {
                        mutated.deleteCharAt(at);
                    }
                }
                case 2 -> {
                    if (at < mutated.length()) {
                        mutated.setCharAt(at, character(random));
                    }
                }
                case 3 -> mutated.setLength(at);
                default -> {
                    int end = at + random.nextInt(mutated.length() - at + 1);
                    mutated.insert(end, mutated.substring(at, end));
                }
            }
        }
        return mutated.toString();
    }

    /** {@code document} with the value after one of its colons replaced by a random value, up to the next comma. */
    private static String replaceOneValue(Random random, String document) {
        if (document.isEmpty()) {
            return document;
        }
        int colon = document.indexOf(':', random.nextInt(document.length()));
        if (colon < 0) {
            colon = document.indexOf(':');
        }
        if (colon < 0) {
            return document;
        }
        int end = colon + 1;
        while (end < document.length() && ",}".indexOf(document.charAt(end)) < 0) {
            end++;
        }
        return document.substring(0, colon + 1) + value(random, List.of("type", "x"), 2) + document.substring(end);
    }

    /** {@code text} as a JSON string, escaping only what JSON requires, so unpaired surrogates stay unpaired. */
    public static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20) {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }
}
