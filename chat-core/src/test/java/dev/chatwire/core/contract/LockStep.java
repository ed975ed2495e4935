package dev.chatwire.core.contract;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Two threads that leave each round together: a barrier that spins rather than parks, since waking a parked thread
 * takes far longer than the operations that must overlap.
 */
final class LockStep {
    private final AtomicIntegerArray arrived = new AtomicIntegerArray(2);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /**
     * Thread 0 or 1 reached {@code round} (counted from 0); returns once the other has too. Throws, with the other
     * thread's failure as the cause, if the other thread failed: otherwise it would spin here for good, where an
     * interrupt cannot reach it, and the test would report a timeout instead of the failure.
     */
    void arrive(int thread, int round) {
        arrived.set(thread, round + 1);
        long spins = 0;
        while (arrived.get(1 - thread) < round + 1) {
            Throwable otherFailed = failure.get();
            if (otherFailed != null) {
                throw new IllegalStateException("the other thread failed", otherFailed);
            }
            // On a busy machine the other thread may be off its core: let it run rather than spin a whole slice.
            if (++spins % 1000 == 0) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /** Runs one thread's rounds; if they fail, the other thread leaves its next {@link #arrive} with the failure. */
    void run(Rounds rounds) throws Exception {
        try {
            rounds.run();
        } catch (Exception | Error e) {
            failure.compareAndSet(null, e);
            throw e;
        }
    }

    /** One thread's rounds. */
    interface Rounds {
        void run() throws Exception;
    }

    /** Busy-waits a little, to shift one thread against the other within a round. */
    static void spin(int times) {
        for (int i = 0; i < times; i++) {
            Thread.onSpinWait();
        }
    }
}
