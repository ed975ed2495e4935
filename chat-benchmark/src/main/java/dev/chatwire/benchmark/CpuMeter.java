package dev.chatwire.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time the server nodes, the backends and their proxies, and the load generator spend over a phase, from
 * {@code /proc/<pid>/stat}; Redis's traffic over it, from {@code INFO}; and how busy the rest of the machine was
 * meanwhile, from {@code /proc/stat}: other processes, and time the hypervisor stole. On a shared machine those two
 * say how far to trust a run.
 */
final class CpuMeter {

    /** USER_HZ, the unit of {@code /proc/stat}. */
    private static final long TICKS_PER_SECOND = 100;

    private final Workload run;
    private final long serverStart;
    private final long clientStart;
    private final Map<String, Long> backendStart = new LinkedHashMap<>();
    private final RedisStats redisStart;
    private final long[] machineStart;

    private CpuMeter(Workload run) {
        this.run = run;
        this.serverStart = servers(run);
        this.clientStart = client();
        if (run.backends() != null) {
            run.backends().pids().forEach((name, pid) -> backendStart.put(name, cpu(pid)));
        }
        this.redisStart = redis(run);
        this.machineStart = machine();
    }

    /** Starts measuring. */
    static CpuMeter start(Workload run) {
        return new CpuMeter(run);
    }

    /** Server CPU microseconds per unit of work since the start, all nodes together. */
    double serverMicrosPer(long units) {
        return (servers(run) - serverStart) / 1000.0 / Math.max(1, units);
    }

    /** Load generator CPU microseconds per unit of work since the start. */
    double clientMicrosPer(long units) {
        return (client() - clientStart) / 1000.0 / Math.max(1, units);
    }

    /**
     * The backends' figures since the start: each backend's and proxy's CPU microseconds per unit
     * ({@code mongo_cpu_us_per_<unit>}, ...) and Redis's commands, {@code PUBLISH}es and bytes in and out per unit;
     * empty on in-memory stores.
     */
    Map<String, Double> backendFigures(long units, String unit) {
        Map<String, Double> figures = new LinkedHashMap<>();
        if (run.backends() == null) {
            return figures;
        }
        run.backends().pids().forEach((name, pid) -> figures.put(name + "_cpu_us_per_" + unit,
                (cpu(pid) - backendStart.get(name)) / 1000.0 / Math.max(1, units)));
        RedisStats traffic = redis(run).since(redisStart);
        double per = Math.max(1, units);
        figures.put("redis_commands_per_" + unit, traffic.commands() / per);
        figures.put("redis_publishes_per_" + unit, traffic.publishes() / per);
        figures.put("redis_in_bytes_per_" + unit, traffic.inputBytes() / per);
        figures.put("redis_out_bytes_per_" + unit, traffic.outputBytes() / per);
        return figures;
    }

    /**
     * What the rest of the machine did since the start, in percent of all its CPU time.
     *
     * @param others CPU used by processes other than the servers, the backends and the load generator
     * @param steal  CPU time the hypervisor gave to other guests
     */
    record Machine(double others, double steal) {
    }

    /** The machine's other load since the start. */
    Machine machineSinceStart() {
        long[] now = machine();
        double total = Math.max(1, now[0] - machineStart[0]);
        double busy = now[1] - machineStart[1];
        double steal = now[2] - machineStart[2];
        long backends = 0;
        if (run.backends() != null) {
            for (Map.Entry<String, Long> pid : run.backends().pids().entrySet()) {
                backends += cpu(pid.getValue()) - backendStart.get(pid.getKey());
            }
        }
        double ours = (servers(run) - serverStart + client() - clientStart + backends) / (1e9 / TICKS_PER_SECOND);
        return new Machine(Math.max(0, 100 * (busy - ours) / total), 100 * steal / total);
    }

    /** Total, busy and stolen ticks of all CPUs. */
    private static long[] machine() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long user = Long.parseLong(fields[1]);
            long nice = Long.parseLong(fields[2]);
            long system = Long.parseLong(fields[3]);
            long idle = Long.parseLong(fields[4]);
            long iowait = Long.parseLong(fields[5]);
            long irq = Long.parseLong(fields[6]);
            long softirq = Long.parseLong(fields[7]);
            long steal = fields.length > 8 ? Long.parseLong(fields[8]) : 0;
            long busy = user + nice + system + irq + softirq;
            return new long[]{busy + idle + iowait + steal, busy, steal};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long servers(Workload run) {
        long total = 0;
        for (ChildJvm node : run.nodes()) {
            total += cpu(node.pid());
        }
        return total;
    }

    private static RedisStats redis(Workload run) {
        return run.backends() == null ? null : run.backends().redis().stats();
    }

    private static long client() {
        return cpu(ProcessHandle.current().pid());
    }

    private static long cpu(long pid) {
        return ChildJvm.cpuNanos(pid);
    }
}
