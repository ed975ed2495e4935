package dev.chatwire.core.memory;

import dev.chatwire.core.spi.HealthCheck;
import dev.chatwire.core.spi.PresenceRegistry;
import dev.chatwire.core.spi.Subscription;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A {@link PresenceRegistry} for one node: connections live in this JVM, so they never expire and
 * {@link #onExpired} listeners are never called. Thread-safe; each user's transitions are atomic.
 */
public final class InMemoryPresenceRegistry implements PresenceRegistry, HealthCheck {

    private final Map<String, Set<String>> connectionsByUser = new ConcurrentHashMap<>();

    @Override
    public boolean connect(String userId, String connectionId) {
        boolean[] cameOnline = {false};
        connectionsByUser.compute(userId, (user, connections) -> {
            Set<String> updated = connections == null ? new HashSet<>() : connections;
            cameOnline[0] = updated.isEmpty();
            updated.add(connectionId);
            return updated;
        });
        return cameOnline[0];
    }

    @Override
    public boolean disconnect(String userId, String connectionId) {
        boolean[] wentOffline = {false};
        connectionsByUser.computeIfPresent(userId, (user, connections) -> {
            wentOffline[0] = connections.remove(connectionId) && connections.isEmpty();
            return connections.isEmpty() ? null : connections;
        });
        return wentOffline[0];
    }

    @Override
    public Map<String, Boolean> online(Collection<String> userIds) {
        Map<String, Boolean> result = new LinkedHashMap<>();
        userIds.forEach(user -> result.put(user, connectionsByUser.containsKey(user)));
        return result;
    }

    @Override
    public Subscription onExpired(Consumer<Set<String>> usersWentOffline) {
        return () -> { };
    }

    /** Always up: there is no backend to lose. */
    @Override
    public Health checkHealth() {
        return Health.up("in memory");
    }
}
