package dev.chatwire.examples;

import com.mongodb.ConnectionString;
import dev.chatwire.core.ChatEngineBuilder;
import dev.chatwire.mongo.MongoChatwire;
import dev.chatwire.redis.RedisClients;
import dev.chatwire.redis.RedisPresenceRegistry;
import dev.chatwire.redis.RedisRoomBroadcaster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisClient;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The one place where the example servers choose their stores, presence registry and broadcaster: MongoDB when
 * {@code CHAT_MONGO_URI} is set (chats, messages and attachments survive a restart), Redis when {@code CHAT_REDIS_URI}
 * is set (several nodes behind a load balancer share presence and rooms), and the in-memory adapters for the rest.
 * Owns the clients it opens and closes them after the engine.
 */
final class Backends implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Backends.class);
    private static final String DEFAULT_DATABASE = "chatwire";

    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private MongoChatwire mongo;
    private RedisPresenceRegistry presence;
    private RedisRoomBroadcaster broadcaster;

    private Backends() {
    }

    /** Connects to whatever the settings name. */
    static Backends open(ServerSettings settings) {
        Backends backends = new Backends();
        try {
            if (settings.mongoUri() != null) {
                String database = new ConnectionString(settings.mongoUri()).getDatabase();
                backends.mongo = backends.own(MongoChatwire.connect(settings.mongoUri(),
                        database == null ? DEFAULT_DATABASE : database));
            }
            if (settings.redisUri() != null) {
                RedisClient jedis = backends.own(RedisClients.pooled(URI.create(settings.redisUri())));
                backends.presence = backends.own(RedisPresenceRegistry.builder(jedis)
                        .expiry(settings.presenceExpiry()).build());
                backends.broadcaster = backends.own(RedisRoomBroadcaster.create(jedis));
            }
            return backends;
        } catch (RuntimeException e) {
            backends.close();
            throw e;
        }
    }

    private <T extends AutoCloseable> T own(T resource) {
        opened.push(resource);
        return resource;
    }

    /** Sets every adapter of the engine under construction. */
    ChatEngineBuilder configure(ChatEngineBuilder engine) {
        if (mongo != null) {
            engine.messageStore(mongo.messages()).chatStore(mongo.chats()).readStateStore(mongo.readStates())
                    .mediaStore(mongo.media());
        }
        if (presence != null) {
            engine.presenceRegistry(presence).roomBroadcaster(broadcaster);
        }
        return engine.inMemory();
    }

    /** What the server runs on, for its banner. */
    String describe() {
        return (mongo != null ? "MongoDB" : "in-memory stores") + ", "
                + (presence != null ? "Redis presence and rooms (node " + presence.nodeId() + ")" : "single node");
    }

    /** Closes the clients, newest first. */
    @Override
    public void close() {
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                log.warn("closing a backend failed", e);
            }
        }
    }
}
