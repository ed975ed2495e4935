package dev.chatwire.redis;

import dev.chatwire.redis.testing.RedisTestServer;
import dev.chatwire.core.contract.RoomBroadcasterContract;
import dev.chatwire.core.spi.RoomBroadcaster;
import org.junit.jupiter.api.AfterEach;
import redis.clients.jedis.RedisClient;

import java.util.ArrayList;
import java.util.List;

/** {@link RedisRoomBroadcaster} passes the broadcaster contract, each node with a client of its own. */
class RedisRoomBroadcasterTest extends RoomBroadcasterContract {

    private final List<AutoCloseable> opened = new ArrayList<>();

    @Override
    protected List<RoomBroadcaster> newNodes(int count) {
        String prefix = RedisTestServer.randomPrefix();
        List<RoomBroadcaster> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RedisClient jedis = RedisTestServer.shared().newClient();
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

    @AfterEach
    void closeNodes() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        opened.clear();
    }
}
