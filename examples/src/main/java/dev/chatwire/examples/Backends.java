package dev.chatwire.examples;

import dev.chatwire.core.ChatEngine;

/**
 * The one place where the example servers choose their stores, presence registry and broadcaster: the in-memory
 * adapters (one node, nothing survives a restart) unless {@code CHAT_MONGO_URI} or {@code CHAT_REDIS_URI} says
 * otherwise.
 */
final class Backends {

    private Backends() {
    }

    /** Sets every adapter of the engine under construction. */
    static ChatEngine.Builder configure(ChatEngine.Builder engine, ServerSettings settings) {
        if (settings.mongoUri() != null) {
            // chat-store-mongo goes here: MongoMessageStore, MongoChatStore and GridFsMediaStore on a MongoClient
            // created from settings.mongoUri() (and closed when the server stops).
            throw new IllegalStateException("CHAT_MONGO_URI is set, but this example does not use MongoDB yet; "
                    + "unset it to run on the in-memory adapters");
        }
        if (settings.redisUri() != null) {
            // chat-presence-redis goes here: RedisPresenceRegistry and RedisRoomBroadcaster on a client created
            // from settings.redisUri() (and closed when the server stops).
            throw new IllegalStateException("CHAT_REDIS_URI is set, but this example does not use Redis yet; "
                    + "unset it to run on the in-memory adapters");
        }
        return engine.inMemory();
    }
}
