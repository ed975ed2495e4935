package dev.chatwire.benchmark;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a timed phase measured.
 *
 * @param units        deliveries (fan-out) or sends (pairs) timed
 * @param perSecond    deliveries (fan-out) or sends (pairs) per second
 * @param latency      delivery latency from the send timestamp carried in the message
 * @param verdict      the delivery check of the workload's whole run, warm-up included
 * @param errors       failed REST calls, {@code error} frames and unexpected closes
 * @param serverMicros server CPU time per delivery (fan-out) or send (pairs), in microseconds
 * @param clientMicros the load generator's CPU time per delivery or send, in microseconds
 * @param machine      what the rest of the machine did meanwhile
 * @param extra        the workload's own figures by key: post latency, the backends' CPU, Redis's traffic
 */
record Throughput(long units, double perSecond, LatencyRecorder.Summary latency, DeliveryLedger.Verdict verdict,
                  long errors, double serverMicros, double clientMicros, CpuMeter.Machine machine,
                  Map<String, Double> extra) {

    /** Copies the extra figures. */
    Throughput {
        extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    /** Whether every delivery was right and nothing failed. */
    boolean correct() {
        return verdict.correct() && errors == 0;
    }

    /**
     * The figures by key, as the report prints them: the rate under {@code rateKey}, latency, CPU per {@code unit},
     * the machine's other load, and the extra figures.
     */
    Map<String, Double> figures(String rateKey, String unit) {
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put(rateKey, perSecond);
        figures.put("p50_ms", latency.p50());
        figures.put("p99_ms", latency.p99());
        figures.put("max_ms", latency.max());
        figures.put("server_cpu_us_per_" + unit, serverMicros);
        figures.put("client_cpu_us_per_" + unit, clientMicros);
        figures.put("other_cpu_percent", machine.others());
        figures.put("steal_percent", machine.steal());
        figures.putAll(extra);
        return figures;
    }

    /** The delivery check and problem count in one line. */
    String checks() {
        return verdict.describe() + ", " + errors + " problems";
    }

    /** The same figures and one more of the workload's own. */
    Throughput with(String key, double value) {
        Map<String, Double> more = new LinkedHashMap<>(extra);
        more.put(key, value);
        return new Throughput(units, perSecond, latency, verdict, errors, serverMicros, clientMicros, machine, more);
    }

    /** The same figures with the final delivery check and problem count. */
    Throughput withChecks(DeliveryLedger.Verdict finalVerdict, long finalErrors) {
        return new Throughput(units, perSecond, latency, finalVerdict, finalErrors, serverMicros, clientMicros,
                machine, extra);
    }
}
