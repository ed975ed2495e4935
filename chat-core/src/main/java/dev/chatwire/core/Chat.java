package dev.chatwire.core;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A conversation and the users taking part in it.
 *
 * @param id           the store-assigned id, never blank
 * @param participants the user ids that may read, post and receive the chat's events; never empty
 * @param name         a display name, or {@code null} for an unnamed (direct) chat
 * @param createdAt    when the chat was created
 */
public record Chat(String id, Set<String> participants, String name, Instant createdAt) {

    /** Validates every field and freezes the participants in their given order. */
    public Chat {
        id = Validate.notBlank(id, "id");
        Objects.requireNonNull(participants, "participants");
        if (participants.isEmpty()) {
            throw new IllegalArgumentException("a chat needs at least one participant");
        }
        participants.forEach(p -> Validate.notBlank(p, "participant"));
        participants = Collections.unmodifiableSet(new LinkedHashSet<>(participants));
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** Whether {@code userId} takes part in this chat. */
    public boolean hasParticipant(String userId) {
        return participants.contains(userId);
    }
}
