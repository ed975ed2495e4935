package dev.chatwire.benchmark;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The {@code --smoke} run, as CI runs it: both servers, every workload, tiny sizes, and the deployed-configuration
 * suite on MongoDB and Redis. It checks that the tool runs and counts right, never how fast anything is.
 */
class SmokeBenchmarkTest {

    @TempDir
    static Path smokeOut;
    private static Options options;
    private static Report report;

    @TempDir
    Path out;

    /** One smoke run for the tests that read its report: it takes a few minutes. */
    @BeforeAll
    static void runTheSmoke() throws Exception {
        options = Options.parse("--smoke", "--out", smokeOut.toString());
        report = LoadBenchmark.run(options);
    }

    @Test
    void smokeRunDrivesBothServersThroughEveryWorkloadAndCountsEveryDelivery() {
        List<Report.Run> bare = report.runs().stream().filter(run -> !run.section().equals(Report.BACKENDS))
                .toList();
        assertThat(bare).allSatisfy(run -> assertThat(run.correct()).as(run.workload() + " " + run.column() + ": "
                + run.checks()).isTrue());
        assertThat(bare).extracting(run -> run.workload() + "/" + run.column()).containsExactlyInAnyOrder(
                "fanout/bare", "fanout/chatwire", "slow/bare", "slow/chatwire", "pairs-socket/bare",
                "pairs-socket/chatwire", "pairs-rest/bare", "pairs-rest/chatwire", "idle/bare", "idle/chatwire",
                "idle/bare-core", "idle/chatwire-jetty");
        assertThat(report.table()).contains("deliveries_per_s", "deliveries_ratio", "p99_ratio",
                "Chatwire on chat-transport-jetty");
        int healthy = options.integer("slow-members") - options.integer("slow-stalled");
        long healthyDeliveries = (long) healthy * (options.integer("fanout-warmup")
                + 3L * options.integer("slow-messages"));
        assertThat(bare).filteredOn(run -> run.workload().equals("slow")).hasSize(2).allSatisfy(run -> {
            assertThat(run.checks()).contains(String.format("healthy: %,d of %,d delivered", healthyDeliveries,
                    healthyDeliveries));
            Map<String, Double> figures = run.figures();
            assertThat(figures.get("stalled_closed_4408") + figures.get("stalled_closed_other")
                    + figures.get("stalled_caught_up")).as(run.checks())
                    .isEqualTo((double) options.integer("slow-stalled"));
            assertThat(figures.get("stalled_behind_when_reading_again")).as("the stalled sockets really stalled")
                    .isPositive();
        });
        assertThat(bare).filteredOn(run -> run.workload().equals("idle")).hasSize(4)
                .allSatisfy(run -> assertThat(run.figures()).containsKeys("heap_kb_per_conn", "rss_kb_per_conn"));
        // The table shows every figure a run measured, not the machine's load, which has a note of its own.
        assertThat(smokeOut.resolve("results.txt")).content().contains("max_ms", "client_cpu_us_per_delivery",
                "stalled_behind_when_reading_again", "mongo_cpu_us_per_connect", "connects_per_s_per_node",
                "other processes used up to").doesNotContain("other_cpu_percent");
    }

    @Test
    void smokeRunMeasuresEveryDeployedWorkloadOnBackendsBesideInMemoryStores() {
        List<Report.Run> backends = report.runs().stream().filter(run -> run.section().equals(Report.BACKENDS))
                .toList();
        assertThat(backends).allSatisfy(run -> assertThat(run.correct()).as(run.workload() + " " + run.column()
                + ": " + run.checks()).isTrue());
        assertThat(backends).extracting(run -> run.workload() + "/" + run.column()).containsExactlyInAnyOrder(
                "admission/in-memory", "hotchat/in-memory", "pairs-socket/in-memory", "pairs-rest/in-memory",
                "fanout/in-memory", "admission/1 node", "hotchat/1 node", "pairs-socket/1 node", "pairs-rest/1 node",
                "fanout/1 node", "admission/2 nodes", "hotchat/2 nodes", "pairs-socket/2 nodes",
                "pairs-rest/2 nodes", "fanout/2 nodes");
        Map<String, String> units = Map.of("admission", "connect", "hotchat", "message", "pairs-socket", "send",
                "pairs-rest", "send", "fanout", "message");
        assertThat(backends).filteredOn(run -> !run.column().equals("in-memory")).allSatisfy(run -> {
            String unit = units.get(run.workload());
            assertThat(run.figures()).containsKeys("mongo_cpu_us_per_" + unit, "redis_proxy_cpu_us_per_" + unit);
            assertThat(run.figures().get("redis_publishes_per_" + unit)).as(run.workload()).isPositive();
        });
        assertThat(backends).filteredOn(run -> run.column().equals("2 nodes")).allSatisfy(run -> {
            List<String> perNode = run.figures().keySet().stream().filter(key -> key.endsWith("_per_node")).toList();
            assertThat(perNode).as(run.workload()).hasSize(1);
            String rate = perNode.get(0).substring(0, perNode.get(0).length() - "_per_node".length());
            assertThat(run.figures().get(perNode.get(0))).as(run.workload())
                    .isCloseTo(run.figures().get(rate) / 2, within(1e-9));
        });
        assertThat(report.table()).contains("deployed configuration", "connects_per_s", "messages_per_s",
                "delivery checks: every run correct");
        assertThat(report.correct()).isTrue();
        assertThat(backends.stream().map(Report.Run::workload).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("admission", "hotchat", "pairs-socket", "pairs-rest", "fanout");
    }

    @Test
    void aServerThatLosesAndDuplicatesMessagesFailsTheRun() throws Exception {
        Options options = Options.parse("--smoke", "--out", out.toString());
        String secret = "a-secret-for-the-lossy-server-0123456789";
        try (ChildProcess server = ChildProcess.server(ServerKind.BARE, LossyBareServer.class.getName(), List.of(),
                Map.of(), secret, out.resolve("lossy.log"));
             LoadClient client = new LoadClient(List.of(server.port()), secret, 8)) {
            Workload run = new Workload(List.of(server), null, client, options, "lossy", 1);
            // A window as large as the run: lost deliveries never hold the sender back, only the final count.
            FanOutWorkload fanOut = new FanOutWorkload(run, new FanOutWorkload.Shape("fan-", 20, 1, 0, 100, 100,
                    Duration.ofMinutes(10), 80));
            Measured result = fanOut.execute("fanout", "deliveries_per_s");

            assertThat(result.correct()).isFalse();
            assertThat(fanOut.ledger.verdict().lost()).isPositive();
            assertThat(fanOut.ledger.verdict().duplicates()).isPositive();
        }
    }
}
