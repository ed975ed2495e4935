package dev.chatwire.client;

import java.time.Instant;
import java.util.List;

/**
 * A conversation and the users taking part in it.
 *
 * @param id           the server's id
 * @param participants the user ids taking part
 * @param name         a display name, or {@code null} for an unnamed (direct) chat
 * @param createdAt    when the chat was created
 */
public record Chat(String id, List<String> participants, String name, Instant createdAt) {

    /** Freezes the participants. */
    public Chat {
        participants = participants == null ? List.of() : List.copyOf(participants);
    }
}
