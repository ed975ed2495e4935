package dev.chatwire.benchmark;

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
 */
record Throughput(long units, double perSecond, LatencyRecorder.Summary latency, DeliveryLedger.Verdict verdict,
                  long errors, double serverMicros, double clientMicros, CpuMeter.Machine machine) {

    /** Whether every delivery was right and nothing failed. */
    boolean correct() {
        return verdict.correct() && errors == 0;
    }

    /** The same figures with the final delivery check and problem count. */
    Throughput withChecks(DeliveryLedger.Verdict finalVerdict, long finalErrors) {
        return new Throughput(units, perSecond, latency, finalVerdict, finalErrors, serverMicros, clientMicros,
                machine);
    }
}
