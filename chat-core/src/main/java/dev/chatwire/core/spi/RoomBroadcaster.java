package dev.chatwire.core.spi;

/**
 * Publish/subscribe by room name, spanning every node that shares the broadcaster's backend.
 *
 * <p>An event published to a room reaches each listener subscribed to that room, on every node, once; events
 * published by one node to one room arrive at each listener in publish order. Listeners on the publishing node always
 * receive the event, even when the backend is down. Delivery to other nodes is at most once: when a node's link to
 * the backend breaks and comes back, its listeners get {@link RoomListener#onGap()} and repair from the store.
 * Thread-safe. {@link #publish} never blocks for long and never throws for a backend failure (it is logged and healed
 * through {@code onGap} on the nodes that missed events).
 */
public interface RoomBroadcaster {

    /**
     * Subscribes a listener to a room. A node typically holds one subscription per room that has local members and
     * closes it when the last one leaves.
     */
    Subscription subscribe(String room, RoomListener listener);

    /** Publishes an event to every listener of the room on every node. */
    void publish(String room, RoomEvent event);
}
