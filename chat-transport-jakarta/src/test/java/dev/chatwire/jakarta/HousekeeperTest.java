package dev.chatwire.jakarta;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class HousekeeperTest {

    /**
     * The engine's closes at shutdown run on the blocking pool; the container stops as soon as the endpoint's close
     * returns, so a close that returned before them would drop the connections instead of sending 1001.
     */
    @Test
    void closeWaitsForTheBlockingCallsAlreadyHandedOver() throws InterruptedException {
        Housekeeper housekeeper = new Housekeeper(Duration.ofHours(1), System::nanoTime);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        housekeeper.runBlocking(() -> {
            running.countDown();
            awaitQuietly(release);
            finished.set(true);
        });
        running.await();

        Thread closer = new Thread(housekeeper::close, "closer");
        closer.start();
        // Either close returned (the thread ends) or it waits for the call: a closer that returned early fails here.
        await().atMost(Duration.ofSeconds(4)).until(() -> closer.getState() == Thread.State.TIMED_WAITING
                || closer.getState() == Thread.State.TERMINATED);
        assertThat(closer.getState()).isEqualTo(Thread.State.TIMED_WAITING);

        release.countDown();
        closer.join(Housekeeper.CLOSE_GRACE.toMillis());
        assertThat(closer.isAlive()).isFalse();
        assertThat(finished).isTrue();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
