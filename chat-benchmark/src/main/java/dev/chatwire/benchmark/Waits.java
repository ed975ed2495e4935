package dev.chatwire.benchmark;

import java.time.Duration;
import java.util.function.LongSupplier;

/** Waiting for a count to reach its goal, giving up only when it stops moving. */
final class Waits {

    private Waits() {
    }

    /**
     * Waits until {@code count} reaches {@code goal}, or has not changed for {@code stall}.
     *
     * @return whether the goal was reached
     */
    static boolean until(LongSupplier count, LongSupplier goal, Duration stall) throws InterruptedException {
        long last = count.getAsLong();
        long lastChange = System.nanoTime();
        while (count.getAsLong() < goal.getAsLong()) {
            Thread.sleep(5);
            long now = count.getAsLong();
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > stall.toNanos()) {
                return false;
            }
        }
        return true;
    }
}
