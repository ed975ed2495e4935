package dev.chatwire.benchmark;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code --smoke} run, as CI runs it: both servers, every workload, tiny sizes, and the deployed-configuration
 * suite on MongoDB and Redis. It checks that the tool runs and counts right, never how fast anything is.
 */
class SmokeBenchmarkTest {

    @TempDir
    static Path smokeOut;
    private static BenchmarkOptions options;
    private static Report report;

    @TempDir
    Path out;

    /** One smoke run for the tests that read its report: it takes a minute or two. */
    @BeforeAll
    static void runTheSmoke() throws Exception {
        options = BenchmarkOptions.parse("--smoke", "--out", smokeOut.toString());
        report = LoadBenchmark.run(options);
    }

    @Test
    void smokeRunDrivesBothServersThroughEveryWorkloadAndCountsEveryDelivery() {
        assertThat(report.runs()).allSatisfy(run -> assertThat(run.correct()).as(run.workload() + " "
                + run.server() + ": " + run.checks()).isTrue());
        Set<String> ran = report.runs().stream().map(run -> run.workload() + "/" + run.server().label())
                .collect(Collectors.toSet());
        assertThat(ran).containsAll(List.of("fanout/bare", "fanout/chatwire", "slow/bare", "slow/chatwire",
                "pairs-socket/bare", "pairs-socket/chatwire", "pairs-rest/bare", "pairs-rest/chatwire", "idle/bare",
                "idle/chatwire", "linearity/bare", "linearity/chatwire", "serialization/chatwire", "engine/bare",
                "engine/chatwire",
                "idle/bare-core", "idle/chatwire-jetty"));
        assertThat(report.table()).contains("fan-out deliveries/s", "slow deliveries/s, stalled/none",
                "slow latency p99, stalled/none", "on jetty-core: chatwire-jetty against bare-core",
                "every run correct");
        // Eight workloads on Jakarta WebSocket, and idle and linearity on Jetty's core WebSocket API.
        assertThat(report.jsonLines().lines().filter(line -> !line.contains("\"deployment\""))).hasSize(10);
        assertThat(report.outcomes(ServerKind.CHATWIRE_JETTY)).extracting(outcome -> outcome.spec().workload())
                .containsOnly("idle", "linearity");
        int healthy = options.slowMembers() - options.slowStalled();
        long healthyDeliveries = (long) healthy * (options.fanoutWarmup() + 3L * options.slowMessages());
        assertThat(report.runs()).filteredOn(run -> run.workload().equals("slow")).hasSize(2).allSatisfy(run -> {
            assertThat(run.checks()).contains(String.format("healthy: %,d of %,d delivered", healthyDeliveries,
                    healthyDeliveries));
            Map<String, Double> figures = run.figures();
            assertThat(figures.get("stalled_closed_4408") + figures.get("stalled_closed_other")
                    + figures.get("stalled_caught_up")).as(run.checks()).isEqualTo((double) options.slowStalled());
            assertThat(figures.get("stalled_client_queue_kb")).as("the stalled sockets' unread bytes").isPositive();
        });
        assertThat(report.runs()).filteredOn(run -> run.workload().equals("engine")).hasSize(2)
                .allSatisfy(run -> assertThat(run.figures().get("thread_cpu_us_per_send")).isPositive());
        assertThat(report.runs()).filteredOn(run -> run.workload().equals("linearity")).hasSize(4)
                .allSatisfy(run -> assertThat(run.figures()).containsKeys("heap_kb_per_added_conn",
                        "rss_kb_per_added_conn"));
        assertThat(smokeOut.resolve("results.jsonl")).exists();
    }

    @Test
    void smokeRunMeasuresEveryDeployedWorkloadOnBackendsBesideInMemoryStores() {
        BackendsReport backends = report.backends().orElseThrow();
        assertThat(backends.runs()).allSatisfy(run -> assertThat(run.correct()).as(run.workload() + " "
                + run.column() + ": " + run.checks()).isTrue());
        assertThat(backends.runs()).extracting(run -> run.workload() + "/" + run.column()).containsExactlyInAnyOrder(
                "admission/in-memory", "hotchat/in-memory", "pairs-socket/in-memory", "pairs-rest/in-memory",
                "fanout/in-memory", "admission/1 node", "hotchat/1 node", "pairs-socket/1 node", "pairs-rest/1 node",
                "fanout/1 node", "admission/2 nodes", "hotchat/2 nodes", "pairs-socket/2 nodes",
                "pairs-rest/2 nodes", "fanout/2 nodes");
        assertThat(backends.runs()).filteredOn(run -> run.deployment().equals("backends")).allSatisfy(run -> {
            assertThat(run.figures()).containsKeys("mongo_cpu_us_per_" + run.unit(),
                    "redis_proxy_cpu_us_per_" + run.unit());
            assertThat(run.figures().get("redis_publishes_per_" + run.unit())).as(run.workload()).isPositive();
        });
        assertThat(report.table()).contains("deployed configuration", "connects_per_s", "messages_per_s",
                "deployed-configuration delivery checks: every run correct");
        assertThat(report.correct()).isTrue();
    }

    @Test
    void aServerThatLosesAndDuplicatesMessagesFailsTheRun() throws Exception {
        BenchmarkOptions options = BenchmarkOptions.parse("--smoke", "--out", out.toString());
        String secret = "a-secret-for-the-lossy-server-0123456789";
        try (ServerProcess server = ServerProcess.start(ServerKind.BARE, LossyBareServer.class.getName(), List.of(),
                Map.of(), secret, out.resolve("lossy.log"));
             LoadClient client = new LoadClient(server.port(), secret, 1, 8, true)) {
            // A window as large as the run: lost deliveries never hold the sender back, only the final count.
            Throughput result = FanOutWorkload.run(new Workload(server, client, options, "lossy", "lossy", out, 1),
                    20, 0, 100, 100, () -> { }, () -> { });

            assertThat(result.correct()).isFalse();
            assertThat(result.verdict().lost()).isPositive();
            assertThat(result.verdict().duplicates()).isPositive();
        }
    }
}
