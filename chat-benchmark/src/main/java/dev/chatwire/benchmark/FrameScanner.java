package dev.chatwire.benchmark;

import java.util.Objects;

/**
 * Reads the few fields the load generator needs from a server frame by scanning the text, without a JSON parser: at
 * two million deliveries a run, the client must cost the shared CPU as little as it can. It relies on what both
 * servers write: the event's {@code type} is its first field, and the benchmark's own texts need no JSON escapes.
 */
final class FrameScanner {

    private FrameScanner() {
    }

    /** The event type: the value of the first {@code "type"} field; empty if there is none. */
    static String type(String frame) {
        return Objects.requireNonNullElse(string(frame, "type", 0), "");
    }

    /** The value of the first string field {@code name} at or after {@code from}, or null. No escapes are undone. */
    static String string(String frame, String name, int from) {
        int start = valueStart(frame, name, from);
        if (start < 0 || start >= frame.length() || frame.charAt(start) != '"') {
            return null;
        }
        int end = frame.indexOf('"', start + 1);
        return end < 0 ? null : frame.substring(start + 1, end);
    }

    /** The value of the first integer field {@code name}, or {@code missing}. */
    static long number(String frame, String name, long missing) {
        int start = valueStart(frame, name, 0);
        if (start < 0) {
            return missing;
        }
        int end = start;
        while (end < frame.length() && frame.charAt(end) >= '0' && frame.charAt(end) <= '9') {
            end++;
        }
        // Past 18 digits a long may overflow: no server sends such a number, and a reader thread must not throw.
        return end == start || end - start > 18 ? missing : Long.parseLong(frame, start, end, 10);
    }

    /** Where the value of field {@code name} starts (after the colon and any spaces), or -1. */
    private static int valueStart(String frame, String name, int from) {
        String key = "\"" + name + "\"";
        for (int at = frame.indexOf(key, from); at >= 0; at = frame.indexOf(key, at + 1)) {
            int colon = skipSpaces(frame, at + key.length());
            if (colon < frame.length() && frame.charAt(colon) == ':') {
                return skipSpaces(frame, colon + 1);
            }
        }
        return -1;
    }

    private static int skipSpaces(String frame, int from) {
        int i = from;
        while (i < frame.length() && frame.charAt(i) == ' ') {
            i++;
        }
        return i;
    }
}
