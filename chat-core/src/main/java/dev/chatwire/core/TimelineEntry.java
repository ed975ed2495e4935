package dev.chatwire.core;

import java.util.Objects;

/**
 * One seq of a chat's timeline: a message when it was stored ({@code seq == message.seq()}), or a change to an
 * earlier message (an edit, a delete or a reaction, {@code seq > message.seq()}). Either way {@code message} is the
 * message's state as the store shows it now, so a reader that applies entries in seq order ends with every message
 * in its current state.
 *
 * @param seq     the entry's own place in the chat's timeline
 * @param message the message it stored or changed, in its current state
 */
public record TimelineEntry(long seq, Message message) {

    /** Requires a message no newer than the entry. */
    public TimelineEntry {
        Objects.requireNonNull(message, "message");
        if (seq < message.seq()) {
            throw new IllegalArgumentException("entry " + seq + " cannot change the later message " + message.seq());
        }
    }

    /** Whether this entry changed an earlier message rather than stored a new one. */
    public boolean isChange() {
        return seq != message.seq();
    }
}
