package dev.chatwire.redis;

import redis.clients.jedis.JedisPubSub;

/**
 * One subscriber connection's session, from connecting to breaking. Jedis calls it on the thread that reads the
 * connection; it hands what Redis confirms and sends to the {@link RoomChannels}, and keeps what the
 * {@link LinkSupervisor} needs to judge the connection alive.
 */
final class SubscriberLink extends JedisPubSub {

    final long generation;
    final long startedNanos = System.nanoTime();
    volatile boolean confirmed;
    volatile boolean ended;
    volatile long pingSentNanos;
    private final String controlChannel;
    private final RoomChannels channels;

    SubscriberLink(long generation, String controlChannel, RoomChannels channels) {
        this.generation = generation;
        this.controlChannel = controlChannel;
        this.channels = channels;
    }

    @Override
    public void onSubscribe(String channel, int subscribedChannels) {
        if (controlChannel.equals(channel)) {
            channels.linkUp(this);
        } else {
            channels.roomConfirmed(this, channel);
        }
    }

    @Override
    public void onMessage(String channel, String message) {
        channels.remoteMessage(this, channel, message);
    }

    @Override
    public void onPong(String pattern) {
        pingSentNanos = 0;
    }
}
