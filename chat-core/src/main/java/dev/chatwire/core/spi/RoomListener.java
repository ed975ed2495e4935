package dev.chatwire.core.spi;

/**
 * Receives the events of a room on one node. Called from the broadcaster's threads (for events published on this node,
 * possibly the publishing thread); implementations must be thread-safe and must not block.
 */
public interface RoomListener {

    /** An event published to the room. */
    void onEvent(RoomEvent event);

    /**
     * Events of this room may have been lost (the broadcaster's link to its backend broke and is back). The listener
     * repairs from the durable store what it can.
     */
    default void onGap() {
    }
}
