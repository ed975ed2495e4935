package dev.chatwire.redis;

import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Sends a broadcaster's PUBLISHes on a thread of its own, in the order they were queued, so that no publishing
 * thread waits for a Redis round trip: a chat's append pipeline publishes a whole batch while holding its lead, and
 * one round trip per message would cap a chat at one message per round trip. Whatever queued while a round trip was
 * under way goes out in the next one, pipelined; one connection and one thread keep the order of each node's events.
 *
 * <p>Bounded: when Redis is slower than the node publishes (or unreachable, and each attempt waits for the client's
 * timeout), an event that finds the queue full is dropped and logged, like a PUBLISH that failed. The other nodes
 * repair either loss the same way: a listener that meets a seq past the next one reads what it skipped from the
 * store, and one that meets nothing more repairs on the next event or reconnect.
 */
final class PublishQueue implements AutoCloseable {

    /** Events waiting to be sent: about 5 MB of envelopes of 500 bytes, some seconds of a busy node. */
    static final int CAPACITY = 10_000;
    /** The most PUBLISHes pipelined in one round trip. */
    private static final int MAX_PIPELINED = 500;
    /** How long {@link #close()} lets queued events go out. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

    private final UnifiedJedis jedis;
    private final RateLimitedLog failures;
    private final BlockingQueue<Outgoing> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final Thread sender;
    private volatile boolean closed;

    PublishQueue(UnifiedJedis jedis, String nodeId, RateLimitedLog failures) {
        this.jedis = jedis;
        this.failures = failures;
        this.sender = new Thread(this::sendUntilClosed, "chatwire-publish-" + nodeId);
        sender.setDaemon(true);
        sender.start();
    }

    /** Queues one PUBLISH; never blocks. Returns {@code false}, having logged it, if the queue is full or closed. */
    boolean offer(String channel, String payload) {
        if (!closed && queue.offer(new Outgoing(channel, payload))) {
            return true;
        }
        failures.warn("Redis PUBLISH to " + channel + " dropped: " + (closed ? "the broadcaster is closed"
                : CAPACITY + " events wait for Redis") + "; other nodes repair from the store", null);
        return false;
    }

    /** How many events wait to be sent; for tests. */
    int waiting() {
        return queue.size();
    }

    private void sendUntilClosed() {
        List<Outgoing> batch = new ArrayList<>(MAX_PIPELINED);
        while (!closed || !queue.isEmpty()) {
            try {
                Outgoing first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_PIPELINED - 1);
                send(batch);
            } catch (InterruptedException e) {
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void send(List<Outgoing> batch) {
        try {
            if (batch.size() == 1) {
                jedis.publish(batch.get(0).channel(), batch.get(0).payload());
                return;
            }
            try (AbstractPipeline pipeline = jedis.pipelined()) {
                batch.forEach(event -> pipeline.publish(event.channel(), event.payload()));
                pipeline.sync();
            }
        } catch (JedisException | UnsupportedOperationException e) {
            failures.warn("Redis PUBLISH of " + batch.size() + " events to " + batch.get(0).channel()
                    + (batch.size() > 1 ? " and others" : "") + " failed; delivered on this node only, other nodes"
                    + " repair from the store", e);
        }
    }

    /** Stops taking events and lets those queued go out for up to two seconds; then stops sending. */
    @Override
    public void close() {
        closed = true;
        try {
            sender.join(CLOSE_GRACE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.interrupt();
    }

    private record Outgoing(String channel, String payload) {
    }
}
