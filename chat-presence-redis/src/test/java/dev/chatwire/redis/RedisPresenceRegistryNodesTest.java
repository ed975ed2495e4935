package dev.chatwire.redis;

import dev.chatwire.testing.RedisTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Several {@link RedisPresenceRegistry} nodes sharing one Redis: the union of presence, and healing after a crash. */
class RedisPresenceRegistryNodesTest {

    private static final Duration EXPIRY = Duration.ofMillis(1500);
    /** Longer than one reaper period (a third of the expiry), so that a duplicate report would have shown. */
    private static final Duration QUIET = EXPIRY.dividedBy(2);

    private static RedisClient jedis;
    private final String prefix = RedisTestServer.randomPrefix();
    private final List<RedisPresenceRegistry> nodes = new ArrayList<>();

    @BeforeAll
    static void connect() {
        jedis = TestRedisClients.newClient(RedisTestServer.shared());
    }

    @AfterAll
    static void disconnect() {
        jedis.close();
    }

    @AfterEach
    void closeNodes() {
        nodes.forEach(RedisPresenceRegistry::close);
    }

    private RedisPresenceRegistry node(String nodeId) {
        RedisPresenceRegistry node = RedisPresenceRegistry.builder(jedis)
                .keyPrefix(prefix).nodeId(nodeId).expiry(EXPIRY).build();
        nodes.add(node);
        return node;
    }

    @Test
    void crashedNodesUsersGoOfflineWithinTheExpiryReportedOnceOnOneSurvivor() throws InterruptedException {
        RedisPresenceRegistry a = node("a");
        RedisPresenceRegistry b = node("b");
        RedisPresenceRegistry c = node("c");
        OfflineReports onB = new OfflineReports();
        OfflineReports onC = new OfflineReports();
        b.onExpired(onB);
        c.onExpired(onC);
        a.connect("alice", "a-phone");
        a.connect("dave", "a-phone");
        a.connect("dave", "a-laptop");
        a.connect("bob", "a-phone");
        b.connect("bob", "b-laptop");
        c.connect("carol", "c-phone");

        long crashedAt = System.nanoTime();
        a.simulateCrash();

        await().atMost(EXPIRY.plusMillis(1000))
                .until(() -> onB.users().size() + onC.users().size() >= 2);
        Duration tookToReport = Duration.ofNanos(System.nanoTime() - crashedAt);
        Thread.sleep(QUIET.toMillis());
        List<String> reported = new ArrayList<>(onB.users());
        reported.addAll(onC.users());
        assertThat(reported).containsExactlyInAnyOrder("alice", "dave");
        assertThat(onB.users().isEmpty() || onC.users().isEmpty()).as("one survivor reports each user").isTrue();
        assertThat(tookToReport).isLessThanOrEqualTo(EXPIRY.plusMillis(1000));
        assertThat(b.online(List.of("alice", "bob", "carol", "dave")))
                .containsExactlyInAnyOrderEntriesOf(Map.of("alice", false, "bob", true, "carol", true, "dave", false));
    }

    @Test
    void usersLeftOfflineByANodeThatClosedAreReportedByASurvivor() throws InterruptedException {
        RedisPresenceRegistry a = node("a");
        RedisPresenceRegistry b = node("b");
        OfflineReports onA = new OfflineReports();
        OfflineReports onB = new OfflineReports();
        a.onExpired(onA);
        b.onExpired(onB);
        a.connect("alice", "a-phone");
        a.connect("bob", "a-phone");
        b.connect("bob", "b-phone");

        a.close();

        assertThat(b.online(List.of("alice", "bob"))).containsExactlyInAnyOrderEntriesOf(
                Map.of("alice", false, "bob", true));
        await().atMost(EXPIRY).until(() -> !onB.users().isEmpty());
        Thread.sleep(QUIET.toMillis());
        assertThat(onB.users()).containsExactly("alice");
        assertThat(onA.users()).isEmpty();
    }

    @Test
    void onlineIsTheUnionOfEveryNodesConnections() {
        RedisPresenceRegistry a = node("a");
        RedisPresenceRegistry b = node("b");

        assertThat(a.connect("alice", "phone")).isTrue();
        assertThat(b.connect("alice", "laptop")).isFalse();
        assertThat(a.disconnect("alice", "phone")).isFalse();
        assertThat(a.online(List.of("alice"))).containsEntry("alice", true);
        assertThat(b.disconnect("alice", "laptop")).isTrue();
        assertThat(a.online(List.of("alice"))).containsEntry("alice", false);
    }

    @Test
    void aConnectionIdTakenOverByAnotherNodeIsNotRemovedByTheOldOne() {
        RedisPresenceRegistry a = node("a");
        RedisPresenceRegistry b = node("b");
        a.connect("alice", "session-1");
        b.connect("alice", "session-1");

        assertThat(a.disconnect("alice", "session-1")).isFalse();
        assertThat(a.online(List.of("alice"))).containsEntry("alice", true);
        assertThat(b.disconnect("alice", "session-1")).isTrue();
    }

    @Test
    void concurrentConnectsAndDisconnectsOnTwoNodesReportExactlyOneTransitionEach() throws Exception {
        List<RedisPresenceRegistry> pair = List.of(node("a"), node("b"));
        int devices = 8;
        ExecutorService pool = Executors.newFixedThreadPool(devices);
        try {
            for (int round = 0; round < 10; round++) {
                assertThat(countTrue(pool, devices, d -> pair.get(d % 2).connect("alice", "d" + d)))
                        .as("came-online reports in round %d", round).isEqualTo(1);
                assertThat(countTrue(pool, devices, d -> pair.get(d % 2).disconnect("alice", "d" + d)))
                        .as("went-offline reports in round %d", round).isEqualTo(1);
                assertThat(pair.get(0).online(List.of("alice"))).containsEntry("alice", false);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aNodeWhoseDataRedisLostRegistersItsConnectionsAgain() {
        RedisPresenceRegistry a = node("a");
        a.connect("alice", "phone");
        a.connect("bob", "phone");
        a.disconnect("bob", "phone");

        jedis.keys(prefix + "*").forEach(jedis::del);

        assertThat(a.online(List.of("alice"))).containsEntry("alice", false);
        await().atMost(EXPIRY).untilAsserted(() -> assertThat(a.online(List.of("alice", "bob")))
                .containsExactlyInAnyOrderEntriesOf(Map.of("alice", true, "bob", false)));
        assertThat(a.disconnect("alice", "phone")).isTrue();
    }

    private interface DeviceCall {
        boolean call(int device);
    }

    private static long countTrue(ExecutorService pool, int devices, DeviceCall call) throws Exception {
        CyclicBarrier start = new CyclicBarrier(devices);
        List<Callable<Boolean>> calls = new ArrayList<>();
        for (int d = 0; d < devices; d++) {
            int device = d;
            calls.add(() -> {
                start.await();
                return call.call(device);
            });
        }
        long count = 0;
        for (Future<Boolean> result : pool.invokeAll(calls)) {
            if (result.get()) {
                count++;
            }
        }
        return count;
    }
}
