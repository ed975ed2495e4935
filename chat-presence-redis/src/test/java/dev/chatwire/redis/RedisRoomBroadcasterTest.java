package dev.chatwire.redis;

import dev.chatwire.core.contract.RoomBroadcasterContract;
import dev.chatwire.core.spi.RoomBroadcaster;
import dev.chatwire.testing.RedisTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link RedisRoomBroadcaster} passes the broadcaster contract, each node with a client of its own, on a server of
 * this class's own, since breaking the nodes' links kills every subscriber connection of the server.
 */
class RedisRoomBroadcasterTest extends RoomBroadcasterContract {

    private static RedisTestServer server;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    static void startServer() {
        server = RedisTestServer.startLocal();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Override
    protected List<RoomBroadcaster> newNodes(int count) {
        String prefix = RedisTestServer.randomPrefix();
        List<RoomBroadcaster> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RedisClient jedis = TestRedisClients.newClient(server);
            RedisRoomBroadcaster node = RedisRoomBroadcaster.builder(jedis)
                    .keyPrefix(prefix)
                    .nodeId("node-" + i)
                    .build();
            opened.add(jedis);
            opened.add(node);
            nodes.add(node);
        }
        return nodes;
    }

    /** Each round's subscribe waits for Redis to confirm a new channel: a second is about a thousand rounds. */
    @Override
    protected Duration raceDuration() {
        return Duration.ofSeconds(1);
    }

    @Override
    protected void breakBackendLinks(List<RoomBroadcaster> nodes) {
        try (Jedis admin = new Jedis(server.uri())) {
            admin.clientKill(ClientKillParams.clientKillParams().type(ClientType.PUBSUB));
        }
    }

    @AfterEach
    void closeNodes() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        opened.clear();
    }
}
