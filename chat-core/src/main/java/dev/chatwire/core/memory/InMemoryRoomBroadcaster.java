package dev.chatwire.core.memory;

import dev.chatwire.core.spi.HealthCheck;
import dev.chatwire.core.spi.RoomBroadcaster;
import dev.chatwire.core.spi.RoomEvent;
import dev.chatwire.core.spi.RoomListener;
import dev.chatwire.core.spi.Subscription;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link RoomBroadcaster} within one JVM: {@link #publish} calls every listener of the room on the publishing
 * thread. Several engines sharing one instance behave like nodes sharing a backend that never fails.
 */
public final class InMemoryRoomBroadcaster implements RoomBroadcaster, HealthCheck {

    private final Map<String, List<RoomListener>> listenersByRoom = new ConcurrentHashMap<>();

    @Override
    public Subscription subscribe(String room, RoomListener listener) {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(listener, "listener");
        // The add happens inside the map's atomic section: outside it, it could land on a list that the room's last
        // unsubscribe has just dropped from the map, and the subscription would receive nothing.
        listenersByRoom.compute(room, (r, listeners) -> {
            List<RoomListener> joined = listeners == null ? new CopyOnWriteArrayList<>() : listeners;
            joined.add(listener);
            return joined;
        });
        return () -> listenersByRoom.computeIfPresent(room, (r, listeners) -> {
            listeners.remove(listener);
            return listeners.isEmpty() ? null : listeners;
        });
    }

    @Override
    public void publish(String room, RoomEvent event) {
        Objects.requireNonNull(event, "event");
        List<RoomListener> listeners = listenersByRoom.get(room);
        if (listeners != null) {
            listeners.forEach(listener -> listener.onEvent(event));
        }
    }

    /** Always up: there is no backend to lose. */
    @Override
    public Health checkHealth() {
        return Health.up("in memory");
    }
}
