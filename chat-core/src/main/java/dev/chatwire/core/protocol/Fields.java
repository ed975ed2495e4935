package dev.chatwire.core.protocol;

/** Checks for the protocol records; their messages reach clients in {@code error} frames. */
final class Fields {

    private Fields() {
    }

    static <T> T required(T value, String name) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            throw new IllegalArgumentException("missing field '" + name + "'");
        }
        return value;
    }

    static void notNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative");
        }
    }
}
