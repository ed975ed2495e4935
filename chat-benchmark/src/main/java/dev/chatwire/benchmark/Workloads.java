package dev.chatwire.benchmark;

import java.util.List;

/**
 * Every workload by name, run once against a deployment, as both the bare comparison and the backends suite run them.
 */
final class Workloads {

    private Workloads() {
    }

    /**
     * Runs a workload.
     *
     * @param backends whether the deployed configuration's sizes apply (pairs and fan-out are smaller there)
     */
    static List<Measured> run(String workload, Workload run, boolean backends) throws Exception {
        return switch (workload) {
            case "fanout" -> List.of(FanOutWorkload.fanOut(run, backends));
            case "hotchat" -> List.of(FanOutWorkload.hotChat(run));
            case "admission" -> List.of(AdmissionWorkload.run(run));
            case "pairs" -> PairsWorkload.run(run, backends);
            case "slow" -> {
                SlowReadersWorkload.Result result = SlowReadersWorkload.run(run);
                yield List.of(new Measured("slow", "deliveries_per_s_stalled", result.figures(), result.correct(),
                        result.checks()));
            }
            case "idle" -> {
                IdleWorkload.Result result = IdleWorkload.run(run);
                yield List.of(new Measured("idle", "heap_kb_per_conn", result.headline(), result.correct(),
                                result.checks()),
                        new Measured("linearity", "heap_spread", result.ladder(), result.correct(), result.checks()));
            }
            default -> throw new IllegalArgumentException("unknown workload " + workload);
        };
    }
}
