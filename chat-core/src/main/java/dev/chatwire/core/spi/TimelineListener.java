package dev.chatwire.core.spi;

import dev.chatwire.core.Chat;
import dev.chatwire.core.TimelineEntry;

import java.util.Objects;
import java.util.Set;

/**
 * Hears of every message and every change (edit, delete, reaction) once it is stored: where a host sends push
 * notifications to those who are offline, or calls webhooks.
 *
 * <p>Called on the engine's executor, after the entry was stored and handed to the broadcaster, never on the
 * thread that delivers messages: a slow listener delays nothing and nobody, but holds an executor thread while it
 * runs, so one that blocks for long should hand the work to a queue of its own. Calls for different entries may
 * run at once and in any order, even for one chat; the entry's {@code seq} orders them. What the listener throws is
 * logged and dropped: the message stays stored and delivered. Only the node that stored an entry calls its
 * listener, once per entry (a retried send the store already held is not heard twice); an entry stored just before a
 * node stops may not be heard at all, so a host that needs every one reads the timeline.
 */
@FunctionalInterface
public interface TimelineListener {

    /** Hears nothing. */
    TimelineListener NONE = stored -> { };

    /** An entry was stored. */
    void stored(Stored stored);

    /**
     * A stored entry and who was not there to see it.
     *
     * @param entry   the message, or the change to one, with the message's state
     * @param chat    the chat as it was when the entry was stored
     * @param offline the participants with no live connection on any node when the entry was stored, as far as the
     *                presence registry knew; the user who sent or changed the message is never among them
     */
    record Stored(TimelineEntry entry, Chat chat, Set<String> offline) {
        /** Requires every field, and freezes {@code offline}. */
        public Stored {
            Objects.requireNonNull(entry, "entry");
            Objects.requireNonNull(chat, "chat");
            offline = Set.copyOf(offline);
        }
    }
}
