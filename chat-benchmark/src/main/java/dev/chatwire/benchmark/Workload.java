package dev.chatwire.benchmark;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One run of a workload against one server: the server, a client for it, the options, its names, and the timed
 * phases it ran (for profiles that cover only those).
 *
 * @param label  for progress lines
 * @param name   for file names
 * @param round  1 for the first round; 0 for a run that only warms the load client up and counts nothing
 * @param phases the timed phases, filled in as the workload runs
 */
record Workload(ServerProcess server, LoadClient client, BenchmarkOptions options, String label, String name,
                Path outDir, int round, List<Phase> phases) {

    /** A run with no phase recorded yet. */
    Workload(ServerProcess server, LoadClient client, BenchmarkOptions options, String label, String name,
             Path outDir, int round) {
        this(server, client, options, label, name, outDir, round, new ArrayList<>());
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
