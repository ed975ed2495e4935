package dev.chatwire.core;

import dev.chatwire.core.spi.RoomBroadcaster;
import dev.chatwire.core.spi.RoomEvent;
import dev.chatwire.core.spi.RoomListener;
import dev.chatwire.core.spi.Subscription;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's members of each room, with one broadcaster subscription per room that has any.
 *
 * <p>No monitor is held across a subscription: a room's members change atomically in the map, and the session that
 * makes a room subscribes for it outside any lock while sessions joining the same room meanwhile wait for that one
 * subscription. Joining one room never waits for another room's subscription, so a slow broadcaster slows the
 * admissions that need a new room, not every admission of the node. Delivery reads the members without locking.
 */
final class LocalRooms {

    /** What the engine does with a room's events for its local members. */
    interface RoomHandler {
        void onEvent(String room, Set<Session> members, RoomEvent event);

        void onGap(String room, Set<Session> members);
    }

    private static final String CHAT_ROOM = "chat:";
    private static final String USER_ROOM = "user:";

    private final RoomBroadcaster broadcaster;
    private final RoomHandler handler;
    private final Map<String, Room> rooms = new ConcurrentHashMap<>();

    LocalRooms(RoomBroadcaster broadcaster, RoomHandler handler) {
        this.broadcaster = broadcaster;
        this.handler = handler;
    }

    /** The room of a chat's events. */
    static String chatRoom(String chatId) {
        return CHAT_ROOM + chatId;
    }

    /** The room of a user's membership changes. */
    static String userRoom(String userId) {
        return USER_ROOM + userId;
    }

    static boolean isChatRoom(String room) {
        return room.startsWith(CHAT_ROOM);
    }

    /** The chat of a {@link #chatRoom}. */
    static String chatIdOf(String chatRoom) {
        return chatRoom.substring(CHAT_ROOM.length());
    }

    /**
     * Adds a session to a room; returns once the room receives events.
     *
     * @throws dev.chatwire.core.spi.UnavailableException if the broadcaster could not subscribe (the session is not
     *                                                    a member then)
     */
    void join(String room, Session session) {
        joinIfFewerThan(room, session, Integer.MAX_VALUE);
    }

    /**
     * Adds a session to a room if it has fewer than {@code max} local members; returns once the room receives events.
     *
     * @return whether the session joined
     */
    boolean joinIfFewerThan(String name, Session session, int max) {
        Room[] joined = new Room[1];
        boolean[] madeIt = new boolean[1];
        rooms.compute(name, (key, room) -> {
            if (room == null) {
                room = new Room(name);
                madeIt[0] = true;
            }
            if (room.members.size() >= max) {
                return room.members.isEmpty() ? null : room;
            }
            room.members.add(session);
            joined[0] = room;
            return room;
        });
        Room room = joined[0];
        if (room == null) {
            return false;
        }
        if (madeIt[0]) {
            room.subscribe();
        }
        try {
            room.subscribed.join();
        } catch (CompletionException e) {
            room.members.remove(session);
            throw e.getCause() instanceof RuntimeException failure ? failure : e;
        }
        return true;
    }

    void leave(String name, Session session) {
        Room[] emptied = new Room[1];
        rooms.computeIfPresent(name, (key, room) -> {
            if (room.members.remove(session) && room.members.isEmpty()) {
                emptied[0] = room;
                return null;
            }
            return room;
        });
        if (emptied[0] != null) {
            emptied[0].unsubscribe();
        }
    }

    /** The local members of a room; empty if none. */
    Set<Session> members(String room) {
        Room local = rooms.get(room);
        return local == null ? Set.of() : local.members;
    }

    void closeAll() {
        rooms.values().forEach(Room::unsubscribe);
        rooms.clear();
    }

    /** One room's local members and its subscription, which the session that made the room takes out. */
    private final class Room implements RoomListener {
        final String name;
        final Set<Session> members = ConcurrentHashMap.newKeySet(4);
        final CompletableFuture<Subscription> subscribed = new CompletableFuture<>();

        Room(String name) {
            this.name = name;
        }

        void subscribe() {
            try {
                subscribed.complete(broadcaster.subscribe(name, this));
            } catch (RuntimeException e) {
                // Sessions waiting for this room fail with it; the next join makes the room again.
                rooms.remove(name, this);
                subscribed.completeExceptionally(e);
            }
        }

        /** Closes the subscription once it exists: a room may empty while its subscription is still being made. */
        void unsubscribe() {
            subscribed.thenAccept(Subscription::close);
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
}
