package dev.chatwire.benchmark;

import java.util.Arrays;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The correctness check of a workload: which socket received which message, so that a lost, duplicated, misrouted or
 * out-of-order delivery fails the run.
 *
 * <p>The workload declares each message as it sends it ({@link #expect}) and reports each delivery ({@link #record});
 * when the run is over, {@link #verdict()} compares the two. Each socket is in one chat here, so its seqs must strictly
 * increase. Thread-safe: deliveries to different sockets may be recorded concurrently.
 */
final class DeliveryLedger {

    /** Who must receive a message. */
    @FunctionalInterface
    interface Audience {
        boolean receives(int socket, int message);
    }

    private final Audience audience;
    private final BitSet[] received;
    private final long[] lastSeq;
    private final AtomicLong expected = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong misrouted = new AtomicLong();
    private final AtomicLong outOfOrder = new AtomicLong();
    private final AtomicLong seqGaps = new AtomicLong();

    /** A ledger for {@code sockets} sockets, numbered from 0. */
    DeliveryLedger(int sockets, Audience audience) {
        this.audience = audience;
        this.received = new BitSet[sockets];
        this.lastSeq = new long[sockets];
        Arrays.setAll(received, socket -> new BitSet());
    }

    /** Declares that a message was sent to {@code recipients} sockets. */
    void expect(long recipients) {
        expected.addAndGet(recipients);
    }

    /** Records a delivery: true for the message's first to a recipient, false for a duplicate or a misroute. */
    boolean record(int socket, int message, long seq) {
        if (socket < 0 || socket >= received.length || message < 0 || !audience.receives(socket, message)) {
            misrouted.incrementAndGet();
            return false;
        }
        BitSet bits = received[socket];
        synchronized (bits) {
            long last = lastSeq[socket];
            if (seq <= last) {
                outOfOrder.incrementAndGet();
            } else if (last > 0 && seq > last + 1) {
                // The shape of a skipped message (n-1, then n+1): it tells a lost delivery from a lost send.
                seqGaps.incrementAndGet();
            }
            lastSeq[socket] = Math.max(last, seq);
            if (bits.get(message)) {
                duplicates.incrementAndGet();
                return false;
            }
            bits.set(message);
        }
        delivered.incrementAndGet();
        return true;
    }

    long expected() {
        return expected.get();
    }

    long delivered() {
        return delivered.get();
    }

    Verdict verdict() {
        return new Verdict(expected.get(), delivered.get(), Math.max(0, expected.get() - delivered.get()),
                duplicates.get(), misrouted.get(), outOfOrder.get(), seqGaps.get());
    }

    /**
     * What a ledger found.
     *
     * @param expected   deliveries that should have happened
     * @param delivered  first deliveries to recipients
     * @param lost       expected deliveries that never came
     * @param duplicates deliveries of a message a socket already had
     * @param misrouted  deliveries to a socket that is not a recipient, or of an unknown message
     * @param outOfOrder deliveries whose seq did not exceed the socket's previous one
     * @param seqGaps    deliveries whose seq was more than one past the socket's previous one (not the first):
     *                   where every socket gets all of its chat's messages, a message skipped for good
     */
    record Verdict(long expected, long delivered, long lost, long duplicates, long misrouted, long outOfOrder,
                   long seqGaps) {

        /** Whether nothing was lost, duplicated, misrouted or reordered. */
        boolean correct() {
            return lost == 0 && duplicates == 0 && misrouted == 0 && outOfOrder == 0;
        }

        /** One line for the report. */
        String describe() {
            return String.format("%,d of %,d delivered, %,d lost, %,d duplicated, %,d misrouted, %,d out of order",
                    delivered, expected, lost, duplicates, misrouted, outOfOrder)
                    + (seqGaps == 0 ? "" : String.format(" (%,d seq gaps: n-1 then n+1)", seqGaps));
        }
    }
}
