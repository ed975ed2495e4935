package dev.chatwire.core;

import java.util.OptionalInt;

/**
 * Which page of a chat's history to read: the newest messages, those after a seq, or the newest before a seq, each
 * page oldest first and at most {@link ChatLimits#maxHistoryPage()} long unless a smaller {@link #limit} is asked.
 *
 * <pre>{@code
 * engine.history(user, chatId, HistoryQuery.after(lastSeenSeq).limit(50));
 * }</pre>
 */
public final class HistoryQuery {

    private enum Direction { NEWEST, AFTER, BEFORE }

    private final Direction direction;
    private final long seq;
    private final OptionalInt limit;

    private HistoryQuery(Direction direction, long seq, OptionalInt limit) {
        if (seq < 0) {
            throw new ChatException(ErrorCode.INVALID, "seqs are not negative");
        }
        this.direction = direction;
        this.seq = seq;
        this.limit = limit;
    }

    /** The chat's newest messages. */
    public static HistoryQuery newest() {
        return new HistoryQuery(Direction.NEWEST, 0, OptionalInt.empty());
    }

    /**
     * The messages after {@code seq}, oldest first: how a client catches up. A page never jumps a seq that appears
     * later (see {@link dev.chatwire.core.spi.MessageStore}).
     *
     * @throws ChatException invalid, if {@code seq} is negative
     */
    public static HistoryQuery after(long seq) {
        return new HistoryQuery(Direction.AFTER, seq, OptionalInt.empty());
    }

    /**
     * The newest messages before {@code seq}: how a client pages back.
     *
     * @throws ChatException invalid, if {@code seq} is negative
     */
    public static HistoryQuery before(long seq) {
        return new HistoryQuery(Direction.BEFORE, seq, OptionalInt.empty());
    }

    /**
     * The same query with at most {@code limit} messages; the engine refuses a limit outside 1 to
     * {@link ChatLimits#maxHistoryPage()}.
     */
    public HistoryQuery limit(int limit) {
        return new HistoryQuery(direction, seq, OptionalInt.of(limit));
    }

    /** The limit asked for, if any. */
    public OptionalInt requestedLimit() {
        return limit;
    }

    /** Whether this query reads forward, after {@link #seq()}. */
    boolean isAfter() {
        return direction == Direction.AFTER;
    }

    /** The seq to read before, for a backward query; {@link Long#MAX_VALUE} for the newest messages. */
    long beforeSeq() {
        return direction == Direction.BEFORE ? seq : Long.MAX_VALUE;
    }

    long seq() {
        return seq;
    }

    @Override
    public String toString() {
        return direction + (direction == Direction.NEWEST ? "" : " " + seq)
                + (limit.isPresent() ? " limit " + limit.getAsInt() : "");
    }
}
