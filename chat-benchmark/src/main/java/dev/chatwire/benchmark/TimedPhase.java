package dev.chatwire.benchmark;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * One timed phase of a workload, from its start to its last arrival: the latency of each delivery (or connect) it
 * times; the CPU the server nodes, the load generator, the backends and their proxies spend meanwhile, from
 * {@code /proc/<pid>/stat}; Redis's traffic, from {@code INFO}; and how busy the rest of the machine was, from
 * {@code /proc/stat} (other processes, and time the hypervisor stole): on a shared machine those say how far to trust
 * a run.
 */
final class TimedPhase {

    /** USER_HZ, the unit of {@code /proc/stat}. */
    private static final double NANOS_PER_TICK = 1e7;

    /** The processes measured by name: {@code server} (every node), {@code client}, then the backends'. */
    private final Map<String, List<Long>> pids = new LinkedHashMap<>();
    private final Map<String, Long> cpuStart = new LinkedHashMap<>();
    private final BackendStack backends;
    private final RedisStats redisStart;
    private final long[] machineStart = machine();
    private final long start = System.nanoTime();
    private final LongAccumulator last = new LongAccumulator(Math::max, 0);
    /** Latencies in microseconds, to three significant digits. */
    final Histogram latency = new ConcurrentHistogram(3);

    TimedPhase(Workload run) {
        pids.put("server", run.nodes().stream().map(ChildProcess::pid).toList());
        pids.put("client", List.of(ProcessHandle.current().pid()));
        if (run.backends() != null) {
            run.backends().pids().forEach((name, pid) -> pids.put(name, List.of(pid)));
        }
        pids.forEach((name, processes) -> cpuStart.put(name, cpu(processes)));
        backends = run.backends();
        redisStart = backends == null ? null : backends.redisStats();
    }

    /** A delivery (or a connect) of this phase arrived at {@code now}, {@code sentNanos} after it left. */
    void arrived(long now, long sentNanos) {
        last.accumulate(now);
        latency.recordValue(Math.max(0, now - sentNanos) / 1000);
    }

    /** Seconds from the start to the last arrival (one nanosecond at least). */
    double seconds() {
        return Math.max(1, last.get() - start) / 1e9;
    }

    /**
     * The phase's figures over {@code units} of work: their rate under {@code rateKey}, latency, the servers' and the
     * load generator's CPU per {@code unit}, and the machine's other load.
     */
    Map<String, Double> figures(String rateKey, long units, String unit) {
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put(rateKey, units / seconds());
        putPercentiles(figures, latency, "");
        long ours = 0;
        for (Map.Entry<String, List<Long>> process : pids.entrySet()) {
            long used = cpu(process.getValue()) - cpuStart.get(process.getKey());
            ours += used;
            if (process.getKey().equals("server") || process.getKey().equals("client")) {
                figures.put(process.getKey() + "_cpu_us_per_" + unit, used / 1000.0 / Math.max(1, units));
            }
        }
        long[] now = machine();
        double total = Math.max(1, now[0] - machineStart[0]);
        figures.put("other_cpu_percent", Math.max(0, 100 * (now[1] - machineStart[1] - ours / NANOS_PER_TICK)
                / total));
        figures.put("steal_percent", 100 * (now[2] - machineStart[2]) / total);
        return figures;
    }

    /**
     * The backends' figures so far: each backend's and proxy's CPU microseconds per {@code unit}
     * ({@code mongo_cpu_us_per_<unit>}, ...) and Redis's commands, {@code PUBLISH}es and bytes in and out per unit;
     * empty on in-memory stores.
     */
    Map<String, Double> backendFigures(long units, String unit) {
        Map<String, Double> figures = new LinkedHashMap<>();
        if (backends == null) {
            return figures;
        }
        double per = Math.max(1, units);
        pids.forEach((name, processes) -> {
            if (!name.equals("server") && !name.equals("client")) {
                figures.put(name + "_cpu_us_per_" + unit, (cpu(processes) - cpuStart.get(name)) / 1000.0 / per);
            }
        });
        RedisStats traffic = backends.redisStats().since(redisStart);
        figures.put("redis_commands_per_" + unit, traffic.commands() / per);
        figures.put("redis_publishes_per_" + unit, traffic.publishes() / per);
        figures.put("redis_in_bytes_per_" + unit, traffic.inputBytes() / per);
        figures.put("redis_out_bytes_per_" + unit, traffic.outputBytes() / per);
        return figures;
    }

    /** Puts the median, 99th percentile and maximum of latencies in microseconds, in milliseconds. */
    static void putPercentiles(Map<String, Double> figures, Histogram micros, String prefix) {
        figures.put(prefix + "p50_ms", micros.getValueAtPercentile(50) / 1000.0);
        figures.put(prefix + "p99_ms", micros.getValueAtPercentile(99) / 1000.0);
        figures.put(prefix + "max_ms", micros.getMaxValue() / 1000.0);
    }

    private static long cpu(List<Long> processes) {
        return processes.stream().mapToLong(ChildProcess::cpuNanos).sum();
    }

    /** Total, busy and stolen ticks of all CPUs. */
    private static long[] machine() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long[] ticks = new long[fields.length];
            for (int i = 1; i < fields.length; i++) {
                ticks[i] = Long.parseLong(fields[i]);
            }
            // user, nice, system, idle, iowait, irq, softirq, steal
            long busy = ticks[1] + ticks[2] + ticks[3] + ticks[6] + ticks[7];
            long steal = fields.length > 8 ? ticks[8] : 0;
            return new long[]{busy + ticks[4] + ticks[5] + steal, busy, steal};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
