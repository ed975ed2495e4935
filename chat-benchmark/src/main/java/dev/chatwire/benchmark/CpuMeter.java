package dev.chatwire.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time the server and the load generator spend over a phase, from {@code /proc/<pid>/stat}, and how busy the rest
 * of the machine was meanwhile, from {@code /proc/stat}: other processes, and time the hypervisor stole. On a shared
 * machine those two say how far to trust a run.
 */
final class CpuMeter {

    /** USER_HZ, the unit of {@code /proc/stat}. */
    private static final long TICKS_PER_SECOND = 100;

    private final ServerProcess server;
    private final long serverStart;
    private final long clientStart;
    private final long[] machineStart;

    private CpuMeter(ServerProcess server) {
        this.server = server;
        this.serverStart = server(server);
        this.clientStart = client();
        this.machineStart = machine();
    }

    /** Starts measuring. */
    static CpuMeter start(ServerProcess server) {
        return new CpuMeter(server);
    }

    /** Server CPU microseconds per unit of work since the start. */
    double serverMicrosPer(long units) {
        return (server(server) - serverStart) / 1000.0 / Math.max(1, units);
    }

    /** Load generator CPU microseconds per unit of work since the start. */
    double clientMicrosPer(long units) {
        return (client() - clientStart) / 1000.0 / Math.max(1, units);
    }

    /**
     * What the rest of the machine did since the start, in percent of all its CPU time.
     *
     * @param others CPU used by processes other than the server and the load generator
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
        double ours = (server(server) - serverStart + client() - clientStart) / (1e9 / TICKS_PER_SECOND);
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

    private static long server(ServerProcess server) {
        try {
            return server.cpuNanos();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long client() {
        try {
            return ServerProcess.processCpuNanos(ProcessHandle.current().pid());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
