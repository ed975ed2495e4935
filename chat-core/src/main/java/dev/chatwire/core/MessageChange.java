package dev.chatwire.core;

import java.util.Objects;

/**
 * A change to a stored message, which takes its chat's next seq: see {@link TimelineEntry}.
 */
public sealed interface MessageChange {

    /**
     * Replaces the message's text (an attachment's caption). A deleted message cannot be edited.
     *
     * @param text the new text, not blank
     */
    record Edit(String text) implements MessageChange {
        /** Requires text. */
        public Edit {
            Validate.notBlank(text, "text");
        }
    }

    /** Deletes the message: its text and attachment are gone for good; its seq and reactions stay. */
    record Delete() implements MessageChange {
    }

    /**
     * Adds ({@code active}) or removes a user's reaction.
     *
     * @param userId the reacting user
     * @param emoji  the reaction
     * @param active {@code true} to add it, {@code false} to remove it
     */
    record React(String userId, String emoji, boolean active) implements MessageChange {
        /** Requires a user and an emoji. */
        public React {
            Validate.notBlank(userId, "userId");
            Objects.requireNonNull(emoji, "emoji");
            Validate.notBlank(emoji, "emoji");
        }
    }
}
