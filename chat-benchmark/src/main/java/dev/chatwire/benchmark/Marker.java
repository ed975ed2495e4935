package dev.chatwire.benchmark;

/**
 * The text of every benchmark message: {@code bm:<message>:<sendNanos>:<filler>}, naming the message within its run
 * and when the client sent it (its {@link System#nanoTime()}), so that each delivery can be checked and timed. The
 * filler brings the text to the length of a typical chat line.
 *
 * @param message   the message's number within the run, 0 or more
 * @param sentNanos when the client sent it
 */
record Marker(int message, long sentNanos) {

    private static final String PREFIX = "bm:";
    private static final String FILLER = "the quick brown fox jumps over the lazy dog, twice over: the quick brown fox";

    /** The message text, padded with filler to at least {@code length} characters. */
    String text(int length) {
        StringBuilder text = new StringBuilder(PREFIX + message + ":" + sentNanos + ":");
        while (text.length() < length) {
            text.append(FILLER, 0, Math.min(FILLER.length(), length - text.length()));
        }
        return text.toString();
    }

    /** Reads a marker from a message text, or returns null when the text is not one. */
    static Marker parse(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            return null;
        }
        int first = text.indexOf(':', PREFIX.length());
        int second = first < 0 ? -1 : text.indexOf(':', first + 1);
        if (second < 0) {
            return null;
        }
        try {
            return new Marker(Integer.parseInt(text, PREFIX.length(), first, 10),
                    Long.parseLong(text, first + 1, second, 10));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
