package dev.chatwire.redis;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a broadcaster's subscriber connection open. A thread of its own SUBSCRIBEs the control channel on a connection
 * borrowed from the Jedis client and reads it until it breaks, then reconnects with exponential backoff and jitter. A
 * watchdog PINGs the connection every ping interval; when a PING, or the first confirmation, goes unanswered, it
 * abandons that connection and starts a new generation with a thread and connection of its own, since the old thread
 * may stay blocked on the silent socket.
 */
final class LinkSupervisor {

    // Logs under the public class's name, the one hosts configure.
    private static final Logger LOG = LoggerFactory.getLogger(RedisRoomBroadcaster.class);
    private static final long FIRST_RECONNECT_DELAY_MILLIS = 100;

    private final UnifiedJedis jedis;
    private final RoomChannels channels;
    private final String nodeId;
    private final String controlChannel;
    private final Duration maxReconnectDelay;
    private final Duration pingInterval;
    private final RateLimitedLog linkFailures;
    private volatile SubscriberLink current;
    private volatile Thread subscriberThread;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final ScheduledExecutorService watchdog;

    LinkSupervisor(UnifiedJedis jedis, RoomChannels channels, String nodeId, String controlChannel,
                   Duration maxReconnectDelay, Duration pingInterval, RateLimitedLog linkFailures) {
        this.jedis = jedis;
        this.channels = channels;
        this.nodeId = nodeId;
        this.controlChannel = controlChannel;
        this.maxReconnectDelay = maxReconnectDelay;
        this.pingInterval = pingInterval;
        this.linkFailures = linkFailures;
        this.watchdog = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "chatwire-rooms-watchdog-" + nodeId);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts the watchdog and the first connection, without waiting for it. */
    void start() {
        long period = pingInterval.toMillis();
        watchdog.scheduleWithFixedDelay(this::checkLink, period, period, TimeUnit.MILLISECONDS);
        startSubscriber(0);
    }

    /**
     * Stops reconnecting and the watchdog, and waits up to 2 s for the subscriber thread. Called once the channels are
     * closed: that unsubscribed the thread's connection, so its read ends, and no generation is current any more.
     */
    void stop() {
        closing.countDown();
        watchdog.shutdownNow();
        Thread subscriber = subscriberThread;
        if (subscriber != null) {
            try {
                subscriber.join(TimeUnit.SECONDS.toMillis(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void startSubscriber(long forGeneration) {
        Thread thread = new Thread(() -> runSubscriber(forGeneration),
                "chatwire-rooms-" + nodeId + "-" + forGeneration);
        thread.setDaemon(true);
        subscriberThread = thread;
        thread.start();
    }

    private void runSubscriber(long forGeneration) {
        long delayMillis = FIRST_RECONNECT_DELAY_MILLIS;
        while (channels.isCurrent(forGeneration)) {
            SubscriberLink attempt = new SubscriberLink(forGeneration, controlChannel, channels);
            current = attempt;
            try {
                jedis.subscribe(attempt, controlChannel);
            } catch (JedisException e) {
                if (channels.isCurrent(forGeneration)) {
                    linkFailures.warn("room subscriber of node " + nodeId + " lost Redis; reconnecting", e);
                }
            } catch (RuntimeException e) {
                LOG.error("room subscriber of node {} failed unexpectedly; reconnecting", nodeId, e);
            }
            attempt.ended = true;
            channels.linkEnded(attempt);
            if (!channels.isCurrent(forGeneration)) {
                return;
            }
            if (attempt.confirmed) {
                delayMillis = FIRST_RECONNECT_DELAY_MILLIS;
            }
            long jittered = delayMillis / 2 + ThreadLocalRandom.current().nextLong(delayMillis / 2 + 1);
            try {
                closing.await(jittered, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            delayMillis = Math.min(delayMillis * 2, maxReconnectDelay.toMillis());
        }
    }

    /** Runs every ping interval: PINGs the subscriber connection, and abandons it if the last PING went unanswered. */
    private void checkLink() {
        SubscriberLink checked = current;
        if (checked == null || checked.ended || !channels.isOpen()) {
            return;
        }
        long now = System.nanoTime();
        if (!checked.confirmed) {
            // Connecting is bounded by the client's own timeouts; only waiting for the confirmation is not.
            if (now - checked.startedNanos > 3 * pingInterval.toNanos()) {
                abandon(checked, "no subscription confirmation within " + pingInterval.multipliedBy(3));
            }
            return;
        }
        if (checked.pingSentNanos != 0) {
            abandon(checked, "no answer to PING within " + pingInterval);
            return;
        }
        checked.pingSentNanos = now;
        channels.ping(checked);
    }

    private void abandon(SubscriberLink silent, String reason) {
        OptionalLong next = channels.abandon(silent);
        if (next.isEmpty()) {
            return;
        }
        silent.ended = true;
        LOG.warn("room subscriber of node {}: {}; opening a new connection", nodeId, reason);
        try {
            silent.unsubscribe();
        } catch (RuntimeException e) {
            LOG.debug("could not unsubscribe the abandoned connection", e);
        }
        startSubscriber(next.getAsLong());
    }
}
