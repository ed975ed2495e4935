package dev.chatwire.core.contract;

import dev.chatwire.core.spi.PresenceRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** The behaviour every {@link PresenceRegistry} must have. Extend it and return a fresh, isolated registry. */
public abstract class PresenceRegistryContract {

    /** A new registry that shares no data with any other test's registry. */
    protected abstract PresenceRegistry newRegistry();

    private PresenceRegistry registry;

    @BeforeEach
    void freshRegistry() {
        registry = newRegistry();
    }

    @Test
    void firstConnectionComesOnlineAndASecondDeviceDoesNot() {
        assertThat(registry.connect("alice", "phone")).isTrue();
        assertThat(registry.connect("alice", "laptop")).isFalse();
        assertThat(registry.online(List.of("alice"))).containsEntry("alice", true);
    }

    @Test
    void onlyTheLastDisconnectionGoesOffline() {
        registry.connect("alice", "phone");
        registry.connect("alice", "laptop");

        assertThat(registry.disconnect("alice", "phone")).isFalse();
        assertThat(registry.online(List.of("alice"))).containsEntry("alice", true);
        assertThat(registry.disconnect("alice", "laptop")).isTrue();
        assertThat(registry.online(List.of("alice"))).containsEntry("alice", false);
    }

    @Test
    void disconnectingAnUnknownConnectionIsHarmless() {
        registry.connect("alice", "phone");
        assertThat(registry.disconnect("alice", "tablet")).isFalse();
        assertThat(registry.disconnect("bob", "phone")).isFalse();
        assertThat(registry.disconnect("alice", "phone")).isTrue();
        assertThat(registry.disconnect("alice", "phone")).isFalse();
    }

    @Test
    void reconnectingAfterGoingOfflineComesOnlineAgain() {
        registry.connect("alice", "phone");
        registry.disconnect("alice", "phone");
        assertThat(registry.connect("alice", "phone")).isTrue();
    }

    @Test
    void onlineAnswersForEveryAskedUser() {
        registry.connect("alice", "c1");
        Map<String, Boolean> online = registry.online(List.of("alice", "bob", "carol"));
        assertThat(online).containsExactlyInAnyOrderEntriesOf(Map.of("alice", true, "bob", false, "carol", false));
        assertThat(registry.online(List.of())).isEmpty();
    }

    @Test
    void usersAreIndependent() {
        assertThat(registry.connect("alice", "c1")).isTrue();
        assertThat(registry.connect("bob", "c1")).isTrue();
        assertThat(registry.disconnect("alice", "c1")).isTrue();
        assertThat(registry.online(List.of("bob"))).containsEntry("bob", true);
    }

    @Test
    void concurrentConnectsAndDisconnectsReportExactlyOneTransitionEach() throws Exception {
        int devices = 8;
        ExecutorService pool = Executors.newFixedThreadPool(devices);
        try {
            for (int round = 0; round < 5; round++) {
                assertThat(countTrue(pool, devices, (device) -> registry.connect("alice", "d" + device)))
                        .as("came-online reports in round %d", round).isEqualTo(1);
                assertThat(countTrue(pool, devices, (device) -> registry.disconnect("alice", "d" + device)))
                        .as("went-offline reports in round %d", round).isEqualTo(1);
                assertThat(registry.online(List.of("alice"))).containsEntry("alice", false);
            }
        } finally {
            pool.shutdownNow();
        }
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
