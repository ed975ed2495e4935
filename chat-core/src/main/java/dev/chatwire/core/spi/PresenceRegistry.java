package dev.chatwire.core.spi;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Which users have at least one live connection, on any device and any node.
 *
 * <p>Thread-safe. {@link #connect} and {@link #disconnect} report a user's first connection and last disconnection
 * atomically: under any interleaving of concurrent calls for one user, exactly one connect reports "came online" per
 * offline-to-online transition and exactly one disconnect reports "went offline". A registry shared by several nodes
 * must also heal when a node dies without disconnecting its connections: they expire, and the users who went offline
 * that way are reported to {@link #onExpired} listeners on one surviving node. Methods block on the backing store and
 * throw {@link UnavailableException} when it fails or does not answer in time.
 */
public interface PresenceRegistry {

    /**
     * Registers a live connection of a user.
     *
     * @return {@code true} if the user had no live connection before this one (came online)
     */
    boolean connect(String userId, String connectionId);

    /**
     * Removes a connection of a user; removing an unknown connection is harmless and returns {@code false}.
     *
     * @return {@code true} if this was the user's last live connection (went offline)
     */
    boolean disconnect(String userId, String connectionId);

    /** For each given user, whether it has at least one live connection. Every given user is a key of the result. */
    Map<String, Boolean> online(Collection<String> userIds);

    /**
     * Registers a listener for users that went offline because their connections expired (their node died). Called
     * from the registry's own thread; the listener must not block for long. A registry whose connections cannot
     * expire never calls it.
     */
    Subscription onExpired(Consumer<Set<String>> usersWentOffline);
}
