package dev.chatwire.core;

import dev.chatwire.core.spi.Connection;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class OutboundTest {

    /** Records what it is asked to write and completes a write only when the test says so. */
    private static final class HeldConnection implements Connection {
        final List<String> written = new ArrayList<>();
        final List<SendCallback> pending = new ArrayList<>();
        private final int maxInFlight;

        HeldConnection(int maxInFlight) {
            this.maxInFlight = maxInFlight;
        }

        @Override
        public synchronized void send(String frame, SendCallback done) {
            written.add(frame);
            pending.add(done);
        }

        @Override
        public int maxSendsInFlight() {
            return maxInFlight;
        }

        @Override
        public void close(int code, String reason) {
        }

        void completeOldest(Throwable failure) {
            SendCallback done;
            synchronized (this) {
                done = pending.remove(0);
            }
            done.completed(failure);
        }
    }

    @Test
    void oneFrameIsInFlightUnlessTheConnectionAllowsMore() {
        HeldConnection connection = new HeldConnection(1);
        Outbound outbound = new Outbound(connection, 1 << 20, 100, failure -> { });

        outbound.offer("a");
        outbound.offer("b");
        assertThat(connection.written).containsExactly("a");

        connection.completeOldest(null);
        assertThat(connection.written).containsExactly("a", "b");
    }

    @Test
    void aQueueFullOfSmallFramesMakesADrainWaiterWaitForTheFramesToo() {
        HeldConnection connection = new HeldConnection(1);
        Outbound outbound = new Outbound(connection, 1 << 20, 8, failure -> { });
        for (String frame : List.of("a", "b", "c", "d", "e")) {
            outbound.offer(frame);
        }
        AtomicInteger drained = new AtomicInteger();

        // Five one-character frames are nowhere near a quarter of the byte bound, but four wait: half the frame bound.
        outbound.whenDrained(drained::incrementAndGet);
        assertThat(drained).hasValue(0);

        connection.completeOldest(null);
        connection.completeOldest(null);
        assertThat(drained).as("frames still wait at a quarter of the frame bound").hasValue(0);
        connection.completeOldest(null);
        connection.completeOldest(null);
        assertThat(drained).hasValue(1);
    }

    @Test
    void framesGoOutAtOnceUpToTheConnectionsLimitAndTheRestAsWritesComplete() {
        HeldConnection connection = new HeldConnection(3);
        Outbound outbound = new Outbound(connection, 1 << 20, 100, failure -> { });

        for (String frame : List.of("a", "b", "c", "d", "e")) {
            outbound.offer(frame);
        }
        assertThat(connection.written).containsExactly("a", "b", "c");

        connection.completeOldest(null);
        assertThat(connection.written).containsExactly("a", "b", "c", "d");
        connection.completeOldest(null);
        connection.completeOldest(null);
        assertThat(connection.written).containsExactly("a", "b", "c", "d", "e");
        assertThat(connection.pending).hasSize(2);
    }

    @Test
    void everyoneWaitingForTheQueueToDrainRunsOnceWhenItDoes() {
        HeldConnection connection = new HeldConnection(1);
        Outbound outbound = new Outbound(connection, 100, 100, failure -> { });
        List<String> ran = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            outbound.offer("x".repeat(30));
        }

        outbound.whenDrained(() -> ran.add("first chat's replay"));
        outbound.whenDrained(() -> ran.add("second chat's replay"));
        connection.completeOldest(null);
        assertThat(ran).as("60 of 100 characters still queued").isEmpty();
        connection.completeOldest(null);
        connection.completeOldest(null);

        assertThat(ran).containsExactly("first chat's replay", "second chat's replay");
    }

    @Test
    void framesInFlightCountAgainstTheQueueBound() {
        HeldConnection connection = new HeldConnection(8);
        Outbound outbound = new Outbound(connection, 10, 100, failure -> { });

        assertThat(outbound.offer("12345")).isTrue();
        assertThat(outbound.offer("12345")).isTrue();
        assertThat(connection.written).hasSize(2);
        assertThat(outbound.offer("1")).as("ten characters are in flight").isFalse();

        connection.completeOldest(null);
        assertThat(outbound.offer("1")).isTrue();
    }

    @Test
    void writesThatFailTogetherReportTheFailureOnceAndStopTheQueue() {
        HeldConnection connection = new HeldConnection(4);
        AtomicInteger failures = new AtomicInteger();
        Outbound outbound = new Outbound(connection, 1 << 20, 100, failure -> failures.incrementAndGet());
        outbound.offer("a");
        outbound.offer("b");

        connection.completeOldest(new IOException("reset"));
        connection.completeOldest(new IOException("reset"));
        outbound.offer("c");

        assertThat(failures).hasValue(1);
        assertThat(connection.written).containsExactly("a", "b");
    }

    /**
     * Several publishers and completions on other threads: the connection must see every frame once, in the order
     * the frames were offered, with never two threads inside {@code send} and never more writes out than allowed.
     */
    @Test
    void concurrentOffersAndCompletionsKeepTheOrderAndTheLimit() throws Exception {
        int limit = 3;
        int frames = 20_000;
        ExecutorService completions = Executors.newFixedThreadPool(2);
        List<String> offered = new ArrayList<>();
        List<String> written = new ArrayList<>();
        AtomicInteger inSend = new AtomicInteger();
        AtomicInteger outstanding = new AtomicInteger();
        List<String> violations = new ArrayList<>();
        Connection connection = new Connection() {
            @Override
            public void send(String frame, SendCallback done) {
                if (inSend.incrementAndGet() > 1) {
                    record("two threads inside send");
                }
                if (outstanding.incrementAndGet() > limit) {
                    record("more than " + limit + " writes out");
                }
                synchronized (written) {
                    written.add(frame);
                }
                inSend.decrementAndGet();
                Runnable complete = () -> {
                    outstanding.decrementAndGet();
                    done.completed(null);
                };
                if (ThreadLocalRandom.current().nextBoolean()) {
                    complete.run();
                } else {
                    completions.execute(complete);
                }
            }

            @Override
            public int maxSendsInFlight() {
                return limit;
            }

            @Override
            public void close(int code, String reason) {
            }

            private void record(String violation) {
                synchronized (violations) {
                    violations.add(violation);
                }
            }
        };
        Outbound outbound = new Outbound(connection, Long.MAX_VALUE, Integer.MAX_VALUE, failure -> { });
        AtomicInteger next = new AtomicInteger();
        ExecutorService publishers = Executors.newFixedThreadPool(4);
        for (int p = 0; p < 4; p++) {
            publishers.execute(() -> {
                while (true) {
                    // The order of offers is the order frames are numbered, as under a chat's publish lock.
                    synchronized (offered) {
                        int n = next.getAndIncrement();
                        if (n >= frames) {
                            return;
                        }
                        offered.add("f" + n);
                        outbound.offer("f" + n);
                    }
                }
            });
        }
        publishers.shutdown();
        assertThat(publishers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        await().until(() -> {
            synchronized (written) {
                return written.size() == frames;
            }
        });
        completions.shutdown();

        assertThat(violations).isEmpty();
        synchronized (written) {
            assertThat(written).isEqualTo(offered);
        }
    }
}
