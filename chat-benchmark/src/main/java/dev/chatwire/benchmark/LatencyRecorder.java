package dev.chatwire.benchmark;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delivery latencies of one run, kept whole (one int of microseconds each) so that percentiles are exact. Recording is
 * lock-free; samples past the capacity are counted but not kept.
 */
final class LatencyRecorder {

    private final int[] micros;
    private final AtomicInteger next = new AtomicInteger();

    /** A recorder for up to {@code capacity} samples. */
    LatencyRecorder(int capacity) {
        this.micros = new int[capacity];
    }

    /** Records a latency in nanoseconds. */
    void record(long nanos) {
        int slot = next.getAndIncrement();
        if (slot < micros.length) {
            micros[slot] = (int) Math.min(Integer.MAX_VALUE, Math.max(0, nanos / 1000));
        }
    }

    /** How many latencies were recorded so far. */
    int count() {
        return next.get();
    }

    /** The samples recorded so far, summarized. Call once recording is over. */
    Summary summary() {
        int count = Math.min(next.get(), micros.length);
        int[] sorted = Arrays.copyOf(micros, count);
        Arrays.sort(sorted);
        return new Summary(count, millis(sorted, 0.50), millis(sorted, 0.99),
                count == 0 ? 0 : sorted[count - 1] / 1000.0);
    }

    private static double millis(int[] sorted, double quantile) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1000.0;
    }

    /**
     * Latency percentiles in milliseconds.
     *
     * @param samples how many latencies were recorded
     */
    record Summary(int samples, double p50, double p99, double max) {
    }
}
