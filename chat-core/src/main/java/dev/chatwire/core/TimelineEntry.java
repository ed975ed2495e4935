package dev.chatwire.core;

import java.util.Objects;

/**
 * One seq of a chat's timeline: a message when it was stored ({@code seq == message.seq()}), a change to an earlier
 * message (an edit, a delete or a reaction, {@code seq > message.seq()}), or the removal of a participant. For the
 * first two {@code message} is the message's state as the store shows it now, so a reader that applies entries in
 * seq order ends with every message in its current state.
 *
 * @param seq           the entry's own place in the chat's timeline
 * @param message       the message it stored or changed, in its current state; {@code null} for a removal
 * @param removedUserId the user whose removal from the chat this entry records; {@code null} for the others
 */
public record TimelineEntry(long seq, Message message, String removedUserId) {

    /** Requires a message no newer than the entry, or else a removed user. */
    public TimelineEntry {
        if (removedUserId != null) {
            Validate.notBlank(removedUserId, "removedUserId");
            if (message != null) {
                throw new IllegalArgumentException("a removal entry has no message");
            }
            if (seq < 1) {
                throw new IllegalArgumentException("seq must be 1 or more, was " + seq);
            }
        } else {
            Objects.requireNonNull(message, "message");
            if (seq < message.seq()) {
                throw new IllegalArgumentException("entry " + seq + " cannot change the later message "
                        + message.seq());
            }
        }
    }

    /** A message's entry, or a change's. */
    public TimelineEntry(long seq, Message message) {
        this(seq, message, null);
    }

    /** The entry recording that {@code userId} was removed from the chat, at {@code seq}. */
    public static TimelineEntry removal(long seq, String userId) {
        return new TimelineEntry(seq, null, Objects.requireNonNull(userId, "userId"));
    }

    /** Whether this entry changed an earlier message rather than stored a new one. */
    public boolean isChange() {
        return message != null && seq != message.seq();
    }

    /** Whether this entry records a participant's removal rather than a message or a change. */
    public boolean isRemoval() {
        return removedUserId != null;
    }
}
