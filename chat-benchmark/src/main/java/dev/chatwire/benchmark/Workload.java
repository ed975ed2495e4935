package dev.chatwire.benchmark;

import java.util.List;

/**
 * One run of the workloads against one deployment.
 *
 * @param nodes    the server processes; a client's socket {@code i} goes to node {@code i % nodes.size()}
 * @param backends the MongoDB and Redis the nodes share, or null when they run on in-memory stores
 * @param label    for progress lines
 * @param round    1 for the first round; 0 for a run that only warms the load client up and counts nothing
 */
record Workload(List<ChildProcess> nodes, BackendStack backends, LoadClient client, Options options, String label,
                int round) {

    /**
     * Runs a workload by name.
     *
     * @param deployed whether the deployed configuration's sizes apply (pairs and fan-out are smaller there)
     */
    List<Measured> measure(String workload, boolean deployed) throws Exception {
        return switch (workload) {
            case "fanout" -> List.of(FanOutWorkload.fanOut(this, deployed));
            case "hotchat" -> List.of(FanOutWorkload.hotChat(this));
            case "admission" -> List.of(new AdmissionWorkload(this).execute());
            case "pairs" -> PairsWorkload.run(this, deployed);
            case "slow" -> List.of(SlowReadersWorkload.run(this));
            case "idle" -> List.of(new IdleWorkload(this).execute());
            default -> throw new IllegalArgumentException("unknown workload " + workload);
        };
    }
}
