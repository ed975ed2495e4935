package dev.chatwire.redis;

import dev.chatwire.testing.RedisTestServer;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The clients {@link RedisClients} builds are the ones the adapters need. */
class RedisClientsTest {

    @Test
    void aPooledClientSpeaksResp2EvenWhenTheUriAsksForResp3() {
        URI uri = URI.create(RedisTestServer.shared().uri() + "?protocol=3");
        try (RedisClient jedis = RedisClients.pooled(uri)) {
            // HELLO without arguments switches nothing and tells the connection's protocol (CLIENT INFO has no resp=
            // field before Redis 7); a RESP3 connection would answer with a map, not a flat array.
            List<?> hello = (List<?>) jedis.executeCommand(new CommandArguments(Protocol.Command.HELLO));
            List<String> fields = hello.stream()
                    .map(field -> field instanceof byte[] bytes
                            ? new String(bytes, StandardCharsets.UTF_8)
                            : String.valueOf(field))
                    .toList();
            assertThat(fields).contains("proto");
            assertThat(fields.get(fields.indexOf("proto") + 1)).isEqualTo("2");
        }
    }

    @Test
    void aPooledClientNeedsRoomForTheSubscriberConnection() {
        URI uri = RedisTestServer.shared().uri();
        assertThatThrownBy(() -> RedisClients.pooled(uri, RedisClients.DEFAULT_TIMEOUT, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 2");
    }
}
