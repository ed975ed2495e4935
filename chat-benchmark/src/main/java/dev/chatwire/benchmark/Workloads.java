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
            case "fanout" -> List.of(Measured.of("fanout", FanOutWorkload.fanOut(run, backends), "deliveries_per_s",
                    "delivery"));
            case "hotchat" -> List.of(Measured.of("hotchat", FanOutWorkload.hotChat(run), "messages_per_s",
                    "delivery"));
            case "admission" -> List.of(Measured.of("admission", AdmissionWorkload.run(run), "connects_per_s",
                    "connect"));
            case "pairs" -> {
                PairsWorkload.Result result = PairsWorkload.run(run, backends);
                yield List.of(Measured.of("pairs-socket", result.socket(), "sends_per_s", "send"),
                        Measured.of("pairs-rest", result.rest(), "sends_per_s", "send"));
            }
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
