package dev.chatwire.benchmark;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MeasurementParsingTest {

    @Test
    void heapInUseIsReadFromG1Output() {
        String g1 = """
                12345:
                 garbage-first heap   total 262144K, used 21504K [0x0000000700000000, 0x0000000800000000)
                  region size 2048K, 3 young (6144K), 0 survivors (0K)
                 Metaspace       used 10012K, committed 10240K, reserved 1114112K
                  class space    used 1100K, committed 1216K, reserved 1048576K
                """;
        assertThat(ServerProcess.parseHeapUsed(g1)).isEqualTo(21504L * 1024);
    }

    @Test
    void heapInUseSumsTheGenerationsOfOtherCollectors() {
        String serial = """
                 def new generation   total 4928K, used 1097K [0x00000000f0000000, 0x00000000f0550000)
                 tenured generation   total 10944K, used 300K [0x00000000f5550000, 0x00000000f6000000)
                 Metaspace       used 900K, committed 1024K, reserved 1056768K
                """;
        assertThat(ServerProcess.parseHeapUsed(serial)).isEqualTo(1397L * 1024);
    }

    @Test
    void histogramGrowthIsPerConnectionAndLargestFirst() {
        HeapHistogram before = HeapHistogram.parse("""
                 num     #instances         #bytes  class name (module)
                -------------------------------------------------------
                   1:          1000          64000  [B (java.base@17)
                   2:            10            240  java.lang.String (java.base@17)
                Total          1010          64240
                """);
        HeapHistogram after = HeapHistogram.parse("""
                 num     #instances         #bytes  class name (module)
                -------------------------------------------------------
                   1:          3000         264000  [B (java.base@17)
                   2:           210           5040  java.lang.String (java.base@17)
                   3:           100           4000  dev.chatwire.core.Session
                Total          3310         273040
                """);

        List<HeapHistogram.Growth> growth = after.growthSince(before, 100, 10);

        assertThat(growth).extracting(HeapHistogram.Growth::className)
                .containsExactly("[B", "java.lang.String", "dev.chatwire.core.Session");
        assertThat(growth.get(0).bytesPerSocket()).isEqualTo(2000.0);
        assertThat(growth.get(0).instancesPerSocket()).isEqualTo(20.0);
    }

    @Test
    void liveHeapIsTheHistogramsTotalAndAHistogramWithoutOneIsRefused() {
        HeapHistogram histogram = HeapHistogram.parse("""
                 num     #instances         #bytes  class name (module)
                -------------------------------------------------------
                   1:          1000          64000  [B (java.base@17)
                   2:            10            240  java.lang.String (java.base@17)
                Total          1010          64240
                """);

        assertThat(histogram.totalBytes()).isEqualTo(64240L);
        assertThatThrownBy(() -> HeapHistogram.parse("""
                   1:          1000          64000  [B (java.base@17)
                """)).isInstanceOf(IllegalStateException.class).hasMessageContaining("Total");
    }

    @Test
    void latencyPercentilesAreExact() {
        LatencyRecorder recorder = new LatencyRecorder(1000);
        for (int i = 1; i <= 100; i++) {
            recorder.record(i * 1_000_000L);
        }

        LatencyRecorder.Summary summary = recorder.summary();
        assertThat(summary.samples()).isEqualTo(100);
        assertThat(summary.p50()).isCloseTo(50.0, within(1e-9));
        assertThat(summary.p99()).isCloseTo(99.0, within(1e-9));
        assertThat(summary.max()).isCloseTo(100.0, within(1e-9));
    }

    @Test
    void reportRatiosAreTheMedianOfEachRoundsRatio() {
        BenchmarkOptions options = BenchmarkOptions.parse("--smoke");
        Report report = new Report(options);
        double[][] rounds = {{100, 80}, {50, 45}, {200, 150}};
        for (int round = 0; round < rounds.length; round++) {
            report.add(new Report.Run("fanout", ServerKind.BARE, round + 1,
                    Map.of("deliveries_per_s", rounds[round][0]), true, "ok"));
            report.add(new Report.Run("fanout", ServerKind.CHATWIRE, round + 1,
                    Map.of("deliveries_per_s", rounds[round][1]), true, "ok"));
        }

        Report.Outcome outcome = report.outcomes().get(0);
        assertThat(outcome.ratio()).isCloseTo(0.8, within(1e-9));
        assertThat(outcome.chatwire()).isEqualTo(80.0);
        assertThat(outcome.bare()).isEqualTo(100.0);
        assertThat(outcome.met()).contains(false);
        assertThat(report.jsonLines()).contains("\"workload\":\"fanout\"").contains("\"met\":false");
    }

    @Test
    void tcpQueuesOfAClientAndOfTheServerTowardsItAreReadFromTheKernelTables() {
        String tcp6 = """
                  sl  local_address                         remote_address                        st tx_queue rx_queue
                   0: 0000000000000000FFFF00000100007F:930D 00000000000000000000000000000000:0000 0A 00000000:00000000
                   1: 0000000000000000FFFF00000200007F:E495 0000000000000000FFFF00000100007F:930D 01 00000000:000010FC
                   2: 0000000000000000FFFF00000100007F:930D 0000000000000000FFFF00000200007F:E495 01 002A0000:00000000
                   3: 0000000000000000FFFF00000500007F:930D 0000000000000000FFFF00000100007F:B2EF 01 00000000:00000000
                   4: 0000000000000000FFFF00000300007F:E495 0000000000000000FFFF00000100007F:930D 01 00000000:00000007
                """;
        String tcp = """
                  sl  local_address rem_address   st tx_queue rx_queue
                   0: 0200007F:1F91 0100007F:930D 01 00000000:00000400
                """;
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", 0x930D);
        InetSocketAddress mapped = new InetSocketAddress("127.0.0.2", 0xE495);
        InetSocketAddress plain = new InetSocketAddress("127.0.0.2", 0x1F91);

        Map<InetSocketAddress, TcpQueues.Queues> queues = TcpQueues.parse(tcp6 + tcp, ByteOrder.LITTLE_ENDIAN, server,
                Set.of(mapped, plain, new InetSocketAddress("127.0.0.2", 1)));

        assertThat(queues).containsOnlyKeys(mapped, plain);
        assertThat(queues.get(mapped)).isEqualTo(new TcpQueues.Queues(0x10FC, 0x2A0000));
        assertThat(queues.get(plain)).isEqualTo(new TcpQueues.Queues(0x400, 0));
    }

    @Test
    void optionsRejectWhatChatwireWouldRefuse() {
        assertThatThrownBy(() -> BenchmarkOptions.parse("--pair-messages", "50"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("burst");
        // The warm-up is paced under Chatwire's command rate, so it may be longer than the burst.
        assertThat(BenchmarkOptions.parse("--pair-warmup", "100").pairWarmup()).isEqualTo(100);
        assertThatThrownBy(() -> BenchmarkOptions.parse("--only", "nonsense"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown workload");
        assertThat(BenchmarkOptions.parse("--idle-connections", "4000").ladder()).contains(4000);
        assertThatThrownBy(() -> BenchmarkOptions.parse("--slow-members", "10", "--slow-stalled", "9"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("healthy");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--slow-text", "20000"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16000");
    }
}
