package dev.chatwire.client;

/**
 * Which page of a chat's history to read: the newest messages, those after a seq, or those before one; always
 * returned oldest first.
 *
 * @param after  read the messages after this seq, or {@code null}
 * @param before read the newest messages before this seq, or {@code null}
 * @param limit  the most messages to return (the server caps it, at 100 by default)
 */
public record HistoryPage(Long after, Long before, int limit) {

    /** Validates the limit. */
    public HistoryPage {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be 1 or more, was " + limit);
        }
    }

    /** The newest {@code limit} messages. */
    public static HistoryPage newest(int limit) {
        return new HistoryPage(null, null, limit);
    }

    /** Up to {@code limit} messages after {@code seq}: catching up forwards. */
    public static HistoryPage after(long seq, int limit) {
        return new HistoryPage(seq, null, limit);
    }

    /** The newest {@code limit} messages before {@code seq}: scrolling back. */
    public static HistoryPage before(long seq, int limit) {
        return new HistoryPage(null, seq, limit);
    }

    String query() {
        StringBuilder query = new StringBuilder("limit=").append(limit);
        if (after != null) {
            query.append("&after=").append(after);
        }
        if (before != null) {
            query.append("&before=").append(before);
        }
        return query.toString();
    }
}
