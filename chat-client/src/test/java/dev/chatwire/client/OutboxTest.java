package dev.chatwire.client;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutboxTest {

    private final Outbox outbox = new Outbox(2);

    @Test
    void waitingSendsAreResentInTheOrderTheyWereMadeUntilAcknowledged() {
        CompletableFuture<Message> first = new CompletableFuture<>();
        outbox.add("k1", "frame 1", first);
        outbox.add("k2", "frame 2", new CompletableFuture<>());
        assertThat(outbox.frames()).containsExactly("frame 1", "frame 2");

        Message stored = TimelineTest.message("m1", "c1", 1);
        outbox.acked("k1", stored);

        assertThat(first).isCompletedWithValue(stored);
        assertThat(outbox.frames()).containsExactly("frame 2");
    }

    @Test
    void aSecondAckForTheSameSendChangesNothing() {
        CompletableFuture<Message> send = new CompletableFuture<>();
        outbox.add("k1", "frame 1", send);
        Message stored = TimelineTest.message("m1", "c1", 1);

        outbox.acked("k1", stored);
        outbox.acked("k1", TimelineTest.message("other", "c1", 2));

        assertThat(send).isCompletedWithValue(stored);
    }

    @Test
    void aRefusalFailsTheSendWithItsCodeAndTheSendIsNeverResent() {
        CompletableFuture<Message> send = new CompletableFuture<>();
        outbox.add("k1", "frame 1", send);

        assertThat(outbox.refused("k1", "forbidden", "not a participant")).isEmpty();

        assertThat(outbox.frames()).isEmpty();
        assertThat(outbox.waiting("k1")).isFalse();
        assertThatThrownBy(send::join).cause().isInstanceOf(ChatRefusedException.class)
                .extracting(cause -> ((ChatRefusedException) cause).code()).isEqualTo("forbidden");
    }

    @Test
    void aTransientRefusalIsRetriedAFewTimesAndThenFailsWithItsCode() {
        CompletableFuture<Message> send = new CompletableFuture<>();
        outbox.add("k1", "frame 1", send);

        assertThat(outbox.refused("k1", "rate_limited", "slow down")).contains("frame 1");
        assertThat(outbox.refused("k1", "unavailable", "store down")).contains("frame 1");
        assertThat(send).isNotDone();
        assertThat(outbox.refused("k1", "rate_limited", "slow down")).isEmpty();

        assertThatThrownBy(send::join).cause().isInstanceOf(ChatRefusedException.class)
                .extracting(cause -> ((ChatRefusedException) cause).code()).isEqualTo("rate_limited");
        assertThat(outbox.frames()).isEmpty();
    }

    @Test
    void closingFailsEverySendStillWaiting() {
        CompletableFuture<Message> send = new CompletableFuture<>();
        outbox.add("k1", "frame 1", send);

        outbox.failAll(new java.util.concurrent.CancellationException("closed"));

        assertThat(send).isCompletedExceptionally();
        assertThat(outbox.frames()).isEmpty();
    }
}
