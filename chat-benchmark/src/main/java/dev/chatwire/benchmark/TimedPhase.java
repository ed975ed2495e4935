package dev.chatwire.benchmark;

import java.util.Map;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * One timed phase of a workload, from its start to its last delivery: the CPU the processes spend in it, the latency
 * of each delivery it measures, and what it measured once over ({@link #finish}).
 */
final class TimedPhase {

    private final CpuMeter cpu;
    private final long start = System.nanoTime();
    private final LongAccumulator last = new LongAccumulator(Math::max, 0);
    final LatencyRecorder latency;

    /** Starts a phase that records up to {@code samples} latencies. */
    TimedPhase(Workload run, long samples) {
        this.cpu = CpuMeter.start(run);
        this.latency = new LatencyRecorder((int) Math.min(Integer.MAX_VALUE - 8, samples));
    }

    /** A delivery (or a connect) of this phase arrived at {@code now}, {@code sentNanos} after it left. */
    void arrived(long now, long sentNanos) {
        last.accumulate(now);
        latency.record(now - sentNanos);
    }

    /** Seconds from the start to the last arrival (one nanosecond at least). */
    double seconds() {
        return Math.max(1, last.get() - start) / 1e9;
    }

    /** The backends' CPU and Redis's traffic per {@code unit} so far; empty on in-memory stores. */
    Map<String, Double> backendFigures(long units, String unit) {
        return cpu.backendFigures(units, unit);
    }

    /**
     * What the phase measured.
     *
     * @param units units of work done (deliveries, sends, connects)
     * @param extra the workload's own figures
     */
    Throughput finish(long units, DeliveryLedger.Verdict verdict, long problems, Map<String, Double> extra) {
        return new Throughput(units, units / seconds(), latency.summary(), verdict, problems,
                cpu.serverMicrosPer(units), cpu.clientMicrosPer(units), cpu.machineSinceStart(), extra);
    }
}
