package dev.chatwire.core.spi;

import java.util.Objects;

/**
 * One event published to a room: the frame its members receive, plus what a node needs to route it without parsing.
 *
 * <p>The engine serializes {@code frame} once per publish; every recipient on every node gets the same text.
 *
 * @param type   the protocol event type, e.g. {@code new_message}
 * @param chatId the chat the event concerns, or {@code null}
 * @param seq    the timeline seq the event carries, or 0 for events outside the timeline (typing, presence)
 * @param frame  the serialized JSON frame sent to clients
 * @param origin the id of the connection whose command caused the event, or {@code null}; the engine uses it on the
 *               originating node to skip echoing ephemeral events (typing) back, so other nodes may drop it
 */
public record RoomEvent(String type, String chatId, long seq, String frame, String origin) {

    /** Validates every field. */
    public RoomEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(frame, "frame");
        if (seq < 0) {
            throw new IllegalArgumentException("seq must not be negative");
        }
    }

    /** An event without an origin. */
    public RoomEvent(String type, String chatId, long seq, String frame) {
        this(type, chatId, seq, frame, null);
    }
}
