package dev.chatwire.core.contract;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Two threads that leave each round together: a barrier that spins rather than parks, since waking a parked thread
 * takes far longer than the operations that must overlap.
 */
final class LockStep {
    private final AtomicIntegerArray arrived = new AtomicIntegerArray(2);

    /** Thread 0 or 1 reached {@code round} (counted from 0); returns once the other has too. */
    void arrive(int thread, int round) {
        arrived.set(thread, round + 1);
        long spins = 0;
        while (arrived.get(1 - thread) < round + 1) {
            // On a busy machine the other thread may be off its core: let it run rather than spin a whole slice.
            if (++spins % 1000 == 0) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /** Busy-waits a little, to shift one thread against the other within a round. */
    static void spin(int times) {
        for (int i = 0; i < times; i++) {
            Thread.onSpinWait();
        }
    }
}
