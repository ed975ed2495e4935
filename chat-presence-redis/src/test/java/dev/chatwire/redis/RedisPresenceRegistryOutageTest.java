package dev.chatwire.redis;

import dev.chatwire.core.spi.UnavailableException;
import dev.chatwire.testing.RedisTestServer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/** {@link RedisPresenceRegistry} when Redis stops, hangs, and comes back. */
class RedisPresenceRegistryOutageTest {

    private static final Duration EXPIRY = Duration.ofMillis(1500);
    /** A correctness bound, not a performance one: the client's timeouts are 2 s. */
    private static final Duration FAIL_FAST = Duration.ofSeconds(6);

    private static RedisTestServer server;
    private RedisClient jedis;
    private RedisPresenceRegistry registry;

    @BeforeAll
    static void startServer() {
        server = RedisTestServer.startLocal();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void createRegistry() {
        jedis = TestRedisClients.newClient(server);
        registry = RedisPresenceRegistry.builder(jedis)
                .keyPrefix(RedisTestServer.randomPrefix()).expiry(EXPIRY).build();
    }

    @AfterEach
    void cleanUp() throws IOException, InterruptedException {
        server.start();
        server.signal("CONT");
        registry.close();
        jedis.close();
    }

    @Test
    void callsFailFastWithUnavailableWhileRedisIsDownAndHealAfterARestart() throws IOException {
        registry.connect("alice", "phone");
        assertThat(registry.checkHealth().up()).isTrue();

        server.stop();
        assertThat(registry.checkHealth().up()).isFalse();

        assertFailsFastWithUnavailable(() -> registry.connect("bob", "phone"));
        assertFailsFastWithUnavailable(() -> registry.online(List.of("alice")));
        assertFailsFastWithUnavailable(() -> registry.disconnect("carol", "phone"));

        server.start();
        // The restarted server lost everything; the heartbeat registers this node's live connections again.
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
                assertThat(registry.online(List.of("alice", "bob"))).containsEntry("alice", true)
                        .containsEntry("bob", false));
        assertThat(registry.connect("bob", "phone")).isTrue();
    }

    @Test
    void aDisconnectThatTimedOutIsCompletedAndReportedByTheHeartbeat() throws Exception {
        OfflineReports reports = new OfflineReports();
        registry.onExpired(reports);
        registry.connect("alice", "phone");

        server.signal("STOP");
        assertFailsFastWithUnavailable(() -> registry.disconnect("alice", "phone"));
        server.signal("CONT");

        await().atMost(Duration.ofSeconds(10)).until(() -> !reports.users().isEmpty());
        assertThat(reports.users()).containsExactly("alice");
        await().atMost(Duration.ofSeconds(5)).ignoreExceptions().untilAsserted(() ->
                assertThat(registry.online(List.of("alice"))).containsEntry("alice", false));
    }

    private static void assertFailsFastWithUnavailable(ThrowingCallable call) {
        long started = System.nanoTime();
        Throwable thrown = catchThrowable(call);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(thrown).isInstanceOf(UnavailableException.class).hasCauseInstanceOf(JedisException.class);
        assertThat(took).isLessThan(FAIL_FAST);
    }
}
