package dev.chatwire.core;

/**
 * A timeline entry at its seq as a {@link ChatCursor} delivers it, live or replayed, and what the cursor does there.
 *
 * @param frame the encoded event to send; {@code null} unless {@code kind} is {@link Kind#SEND}
 */
record SeqFrame(long seq, String frame, Kind kind) {

    /** What the cursor does at an entry's seq. */
    enum Kind {
        /** Sends the entry's frame. */
        SEND,
        /** Moves past the seq and sends nothing: the entry is hidden from the user. */
        HIDDEN,
        /**
         * Stops, as a cut cursor does: the entry removed the cursor's user from the chat, so nothing
         * stored after it reaches the connection on any node.
         */
        REMOVAL
    }

    /** An entry whose encoded event ({@code new_message}, {@code message_updated}...) is sent. */
    SeqFrame(long seq, String frame) {
        this(seq, frame, Kind.SEND);
    }

    static SeqFrame hidden(long seq) {
        return new SeqFrame(seq, null, Kind.HIDDEN);
    }

    static SeqFrame removal(long seq) {
        return new SeqFrame(seq, null, Kind.REMOVAL);
    }
}
