package dev.chatwire.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;

/** CPU time the server and the load generator spend over a phase, from {@code /proc/<pid>/stat}. */
final class CpuMeter {

    private final ServerProcess server;
    private final long serverStart;
    private final long clientStart;

    private CpuMeter(ServerProcess server) {
        this.server = server;
        this.serverStart = server(server);
        this.clientStart = client();
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
