package dev.chatwire.redis;

import dev.chatwire.core.spi.Subscription;
import dev.chatwire.core.spi.UnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A presence node's heartbeat and expiry sweep, on a thread of its own every {@code expiry / 3}: pushes the node's
 * deadline forward, makes the node's connections in Redis match its own when they may differ, then reaps the nodes
 * past their deadline and reports the users that left offline to the {@code onExpired} listeners. After a failed
 * heartbeat it reaps nobody for one {@code expiry}, so that a Redis outage does not make every node reap every other.
 *
 * <p>Shares with the {@link RedisPresenceRegistry} the node's connections (confirmed or not) and the disconnects that
 * failed; both are concurrent collections, and the registry marks this heartbeat {@linkplain #markDirty dirty} when
 * a failure may have left Redis out of step with them.
 */
final class PresenceHeartbeat {

    // Logs under the public class's name, the one hosts configure.
    private static final Logger LOG = LoggerFactory.getLogger(RedisPresenceRegistry.class);

    private final PresenceCommands redis;
    private final String nodeId;
    private final Duration expiry;
    private final Clock clock;
    private final RateLimitedLog heartbeatFailures;
    /** This node's connections; {@code true} once Redis confirmed the registration. */
    private final Map<ConnectionKey, Boolean> ownConnections;
    /** Disconnects that threw: Redis may or may not have run them, so nobody may have reported the user offline. */
    private final Set<ConnectionKey> failedDisconnects;
    private final CopyOnWriteArrayList<Consumer<Set<String>>> expiredListeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService heartbeat;
    private volatile boolean stopped;
    /** Set when this node's state in Redis may differ from {@link #ownConnections}; the next beat reconciles. */
    private volatile boolean dirty;
    private volatile Instant reapNotBefore = Instant.MIN;

    PresenceHeartbeat(PresenceCommands redis, Map<ConnectionKey, Boolean> ownConnections,
                      Set<ConnectionKey> failedDisconnects, String nodeId, Duration expiry, Clock clock) {
        this.redis = redis;
        this.ownConnections = ownConnections;
        this.failedDisconnects = failedDisconnects;
        this.nodeId = nodeId;
        this.expiry = expiry;
        this.clock = clock;
        this.heartbeatFailures = new RateLimitedLog(LOG, clock, Duration.ofSeconds(30));
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "chatwire-presence-" + nodeId);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts beating, the first beat at once. */
    void start() {
        long period = Math.max(1, expiry.toMillis() / 3);
        heartbeat.scheduleWithFixedDelay(this::heartbeatAndReap, 0, period, TimeUnit.MILLISECONDS);
    }

    /** Adds a listener for users reported offline by this node's sweep; called on the heartbeat thread. */
    Subscription onExpired(Consumer<Set<String>> usersWentOffline) {
        Objects.requireNonNull(usersWentOffline, "usersWentOffline");
        expiredListeners.add(usersWentOffline);
        return () -> expiredListeners.remove(usersWentOffline);
    }

    /** Redis may now differ from this node's connections: the next beat reconciles. */
    void markDirty() {
        dirty = true;
    }

    /** Stops beating, waiting up to 5 s for a beat under way. */
    void stop() {
        stopped = true;
        heartbeat.shutdownNow();
        try {
            if (!heartbeat.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("presence heartbeat of node {} did not stop within 5 s", nodeId);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void heartbeatAndReap() {
        try {
            heartbeatOnce();
        } catch (UnavailableException e) {
            dirty = true;
            reapNotBefore = clock.instant().plus(expiry);
            heartbeatFailures.warn("presence heartbeat of node " + nodeId + " failed; retrying", e.getCause());
            return;
        } catch (RuntimeException e) {
            // A beat already running when the registry closed ends on the closed registry: nothing went wrong.
            if (!stopped) {
                LOG.error("presence heartbeat of node {} failed unexpectedly", nodeId, e);
            }
            return;
        }
        if (clock.instant().isBefore(reapNotBefore)) {
            return;
        }
        try {
            report(redis.reap());
        } catch (UnavailableException e) {
            heartbeatFailures.warn("presence reaper of node " + nodeId + " failed; retrying", e.getCause());
        } catch (RuntimeException e) {
            LOG.error("presence reaper of node {} failed unexpectedly", nodeId, e);
        }
    }

    private void heartbeatOnce() {
        PresenceCommands.Beat beat = redis.heartbeat();
        if (dirty || beat.wasMissing() || beat.registered() != ownConnections.size()) {
            reconcile();
        }
    }

    /**
     * Makes this node's connections in Redis match {@link #ownConnections}: registers the confirmed ones Redis lost,
     * removes the ones this node no longer has (their disconnect failed), and reports the users who went offline
     * through a failed disconnect, since nobody else did.
     */
    private void reconcile() {
        dirty = false;
        try {
            Set<String> inRedis = redis.ownMembers();
            Set<String> offline = new LinkedHashSet<>();
            for (String member : inRedis) {
                ConnectionKey key = ConnectionKey.fromMember(member);
                if (key == null) {
                    LOG.warn("presence node {} ignores a malformed member of {}: {}", nodeId,
                            redis.ownConnectionsKey(), member);
                } else if (!ownConnections.containsKey(key) && redis.disconnect(key)) {
                    offline.add(key.userId());
                }
            }
            int restored = 0;
            for (ConnectionKey key : new ArrayList<>(ownConnections.keySet())) {
                // Read now, not from a snapshot: a disconnect under way has marked its connection unconfirmed.
                if (Boolean.TRUE.equals(ownConnections.get(key)) && !inRedis.contains(key.member())) {
                    if (redis.connect(key, "restore") < 0) {
                        // Another node connected the same id since: it is that node's connection now.
                        ownConnections.remove(key, Boolean.TRUE);
                    } else {
                        restored++;
                    }
                }
            }
            if (restored > 0) {
                LOG.warn("presence node {} registered {} of its connections again (reaped while alive, or Redis "
                        + "lost its data)", nodeId, restored);
            }
            offline.addAll(offlineAfterFailedDisconnects(offline));
            report(offline);
        } catch (RuntimeException e) {
            dirty = true;
            throw e;
        }
    }

    private Set<String> offlineAfterFailedDisconnects(Set<String> alreadyOffline) {
        List<ConnectionKey> failed = new ArrayList<>(failedDisconnects);
        Set<String> users = new LinkedHashSet<>();
        for (ConnectionKey key : failed) {
            if (!alreadyOffline.contains(key.userId())) {
                users.add(key.userId());
            }
        }
        if (stopped) {
            // A beat still running when the registry closed stops before asking Redis, as calls on a closed one do.
            throw new IllegalStateException("presence registry of node " + nodeId + " is closed");
        }
        Set<String> offline = new LinkedHashSet<>();
        redis.online(users).forEach((user, isOnline) -> {
            if (!isOnline) {
                offline.add(user);
            }
        });
        failed.forEach(failedDisconnects::remove);
        return offline;
    }

    private void report(Set<String> users) {
        if (users.isEmpty()) {
            return;
        }
        Set<String> immutable = Set.copyOf(users);
        for (Consumer<Set<String>> listener : expiredListeners) {
            try {
                listener.accept(immutable);
            } catch (RuntimeException e) {
                LOG.error("an onExpired listener failed", e);
            }
        }
    }
}
