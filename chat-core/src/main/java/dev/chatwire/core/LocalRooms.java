package dev.chatwire.core;

import dev.chatwire.core.spi.RoomBroadcaster;
import dev.chatwire.core.spi.RoomEvent;
import dev.chatwire.core.spi.RoomListener;
import dev.chatwire.core.spi.Subscription;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's members of each room, with one broadcaster subscription per room that has any. Joins and leaves are
 * serialized (they subscribe and unsubscribe); delivery reads without locking.
 */
final class LocalRooms {

    /** What the engine does with a room's events for its local members. */
    interface RoomHandler {
        void onEvent(String room, Set<Session> members, RoomEvent event);

        void onGap(String room, Set<Session> members);
    }

    private final RoomBroadcaster broadcaster;
    private final RoomHandler handler;
    private final Map<String, Room> rooms = new ConcurrentHashMap<>();

    LocalRooms(RoomBroadcaster broadcaster, RoomHandler handler) {
        this.broadcaster = broadcaster;
        this.handler = handler;
    }

    private final class Room implements RoomListener {
        final String name;
        final Set<Session> members = ConcurrentHashMap.newKeySet(4);
        Subscription subscription;

        Room(String name) {
            this.name = name;
        }

        @Override
        public void onEvent(RoomEvent event) {
            handler.onEvent(name, members, event);
        }

        @Override
        public void onGap() {
            handler.onGap(name, members);
        }
    }

    synchronized void join(String room, Session session) {
        Room local = rooms.get(room);
        if (local == null) {
            local = new Room(room);
            local.members.add(session);
            rooms.put(room, local);
            local.subscription = broadcaster.subscribe(room, local);
        } else {
            local.members.add(session);
        }
    }

    synchronized void leave(String room, Session session) {
        Room local = rooms.get(room);
        if (local != null && local.members.remove(session) && local.members.isEmpty()) {
            rooms.remove(room);
            local.subscription.close();
        }
    }

    /** The local members of a room; empty if none. */
    Set<Session> members(String room) {
        Room local = rooms.get(room);
        return local == null ? Set.of() : local.members;
    }

    synchronized void closeAll() {
        rooms.values().forEach(room -> room.subscription.close());
        rooms.clear();
    }
}
