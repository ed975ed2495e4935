package dev.chatwire.benchmark;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One run of a workload against one deployment: its server nodes (one, or several sharing backends), the backends
 * (null on in-memory stores), a client for the nodes, the options, its names, and the timed phases it ran (for
 * profiles that cover only those).
 *
 * @param nodes    the server processes; a client's socket {@code i} goes to node {@code i % nodes.size()}
 * @param backends the MongoDB and Redis the nodes share, or null when they run on in-memory stores
 * @param label    for progress lines
 * @param name     for file names
 * @param round    1 for the first round; 0 for a run that only warms the load client up and counts nothing
 * @param phases   the timed phases, filled in as the workload runs
 */
record Workload(List<ServerProcess> nodes, BackendStack backends, LoadClient client, BenchmarkOptions options,
                String label, String name, Path outDir, int round, List<Phase> phases) {

    /** A run of one in-memory server with no phase recorded yet. */
    Workload(ServerProcess server, LoadClient client, BenchmarkOptions options, String label, String name,
             Path outDir, int round) {
        this(List.of(server), null, client, options, label, name, outDir, round, new ArrayList<>());
    }

    /** A run of several nodes on shared backends, with no phase recorded yet. */
    Workload(List<ServerProcess> nodes, BackendStack backends, LoadClient client, BenchmarkOptions options,
             String label, String name, Path outDir) {
        this(List.copyOf(nodes), backends, client, options, label, name, outDir, 1, new ArrayList<>());
    }

    /** The first (or only) node. */
    ServerProcess server() {
        return nodes.get(0);
    }

    /**
     * A timed phase.
     *
     * @param name what was timed: {@code fan-out}, {@code socket}, {@code REST}
     */
    record Phase(String name, Instant from, Instant to) {
    }

    /** Records a timed phase. */
    void phase(String name, Instant from, Instant to) {
        synchronized (phases) {
            phases.add(new Phase(name, from, to));
        }
    }
}
