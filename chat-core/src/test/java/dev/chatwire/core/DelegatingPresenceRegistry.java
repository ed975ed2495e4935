package dev.chatwire.core;

import dev.chatwire.core.spi.PresenceRegistry;
import dev.chatwire.core.spi.Subscription;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** A presence registry that forwards every call; tests override a method to watch it or make it fail. */
class DelegatingPresenceRegistry implements PresenceRegistry {

    private final PresenceRegistry delegate;

    DelegatingPresenceRegistry(PresenceRegistry delegate) {
        this.delegate = delegate;
    }

    @Override
    public boolean connect(String userId, String connectionId) {
        return delegate.connect(userId, connectionId);
    }

    @Override
    public boolean disconnect(String userId, String connectionId) {
        return delegate.disconnect(userId, connectionId);
    }

    @Override
    public Map<String, Boolean> online(Collection<String> userIds) {
        return delegate.online(userIds);
    }

    @Override
    public Subscription onExpired(Consumer<Set<String>> usersWentOffline) {
        return delegate.onExpired(usersWentOffline);
    }
}
