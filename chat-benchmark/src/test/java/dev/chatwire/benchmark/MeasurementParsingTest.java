package dev.chatwire.benchmark;

import org.HdrHistogram.ConcurrentHistogram;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MeasurementParsingTest {

    @Test
    void liveHeapIsTheHistogramsTotalAndAHistogramWithoutOneIsRefused() {
        assertThat(ChildProcess.parseHistogramTotal("""
                12345:
                 num     #instances         #bytes  class name (module)
                -------------------------------------------------------
                   1:          1000          64000  [B (java.base@17)
                   2:           500          12000  java.lang.String (java.base@17)
                Total          1500          76000
                """)).isEqualTo(76_000);
        assertThatThrownBy(() -> ChildProcess.parseHistogramTotal("12345:\nnothing here\n"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Total");
    }

    @Test
    void latencyPercentilesComeToThreeSignificantDigits() {
        ConcurrentHistogram micros = new ConcurrentHistogram(3);
        for (int millis = 1; millis <= 100; millis++) {
            micros.recordValue(millis * 1000L);
        }

        Map<String, Double> figures = new LinkedHashMap<>();
        TimedPhase.putPercentiles(figures, micros, "post_");
        assertThat(figures.keySet()).containsExactly("post_p50_ms", "post_p99_ms", "post_max_ms");
        assertThat(figures.get("post_p50_ms")).isCloseTo(50.0, within(0.05));
        assertThat(figures.get("post_p99_ms")).isCloseTo(99.0, within(0.1));
        assertThat(figures.get("post_max_ms")).isCloseTo(100.0, within(0.1));
    }

    @Test
    void reportRatiosAreTheMedianOfEachRoundsRatioAndJudgedAgainstTheTarget() {
        Report report = new Report(Options.parse("--smoke"));
        double[][] rounds = {{100, 80}, {50, 45}, {200, 150}};
        for (int round = 0; round < rounds.length; round++) {
            report.add(new Report.Run(Report.JAKARTA, "fanout", "bare", round + 1,
                    Map.of("deliveries_per_s", rounds[round][0]), true, "ok"));
            report.add(new Report.Run(Report.JAKARTA, "fanout", "chatwire", round + 1,
                    Map.of("deliveries_per_s", rounds[round][1]), true, "ok"));
        }

        assertThat(report.ratio(Report.JAKARTA, "fanout", "chatwire", "bare", "deliveries_per_s"))
                .isCloseTo(0.8, within(1e-9));
        assertThat(report.median(Report.JAKARTA, "fanout", "chatwire", "deliveries_per_s")).isEqualTo(80.0);
        assertThat(report.median(Report.JAKARTA, "fanout", "bare", "deliveries_per_s")).isEqualTo(100.0);
        assertThat(report.met(Report.JAKARTA, "fanout", "deliveries_per_s")).contains(false);
        assertThat(report.table()).contains("0.80x", ">= 0.90x");
    }

    @Test
    void optionsRejectWhatChatwireWouldRefuse() {
        assertThatThrownBy(() -> Options.parse("--pair-messages", "50"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("burst");
        // The warm-up is paced under Chatwire's command rate, so it may be longer than the burst.
        assertThat(Options.parse("--pair-warmup", "100").integer("pair-warmup")).isEqualTo(100);
        assertThatThrownBy(() -> Options.parse("--only", "nonsense"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown workload");
        assertThatThrownBy(() -> Options.parse("--backends", "--only", "slow"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown workload");
        assertThatThrownBy(() -> Options.parse("--idle-connections", "4005"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of 10");
        assertThatThrownBy(() -> Options.parse("--slow-members", "10", "--slow-stalled", "9"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("healthy");
        assertThatThrownBy(() -> Options.parse("--slow-text", "20000"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16000");
        assertThatThrownBy(() -> Options.parse("--nonsense"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown option");
    }

    @Test
    void optionsNameWhichSuiteRuns() {
        Options bare = Options.parse("--only", "pairs");
        assertThat(bare.runs("pairs")).isTrue();
        assertThat(bare.runs("fanout")).isFalse();
        assertThat(bare.runsBackends()).isFalse();
        Options backends = Options.parse("--backends", "--only", "hotchat", "--nodes", "none");
        assertThat(backends.runs("pairs")).isFalse();
        assertThat(backends.backendWorkloads()).containsExactly("hotchat");
        assertThat(backends.nodes()).isEmpty();
        assertThat(Options.parse("--smoke").runsBackends()).isTrue();
    }
}
