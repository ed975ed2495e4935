package dev.chatwire.benchmark;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryLedgerTest {

    /** Three sockets; every message goes to all of them. */
    private final DeliveryLedger ledger = new DeliveryLedger(3, (socket, message) -> true);

    private void sendTwoMessages() {
        ledger.expect(3);
        ledger.expect(3);
    }

    @Test
    void everyMessageDeliveredOnceInOrderIsCorrect() {
        sendTwoMessages();
        for (int socket = 0; socket < 3; socket++) {
            assertThat(ledger.record(socket, 0, 1)).isTrue();
            assertThat(ledger.record(socket, 1, 2)).isTrue();
        }

        assertThat(ledger.delivered()).isEqualTo(ledger.expected());
        assertThat(ledger.verdict().correct()).isTrue();
        assertThat(ledger.verdict().describe()).startsWith("6 of 6 delivered, 0 lost");
    }

    @Test
    void aSocketThatGetsTheMessagesBeforeAndAfterASkippedOneCountsASeqGap() {
        for (int message = 0; message < 3; message++) {
            ledger.expect(3);
        }
        for (int socket = 0; socket < 3; socket++) {
            ledger.record(socket, 0, 1);
            if (socket != 2) {
                ledger.record(socket, 1, 2);
            }
            ledger.record(socket, 2, 3);
        }

        DeliveryLedger.Verdict verdict = ledger.verdict();
        assertThat(verdict.correct()).isFalse();
        assertThat(verdict.lost()).isEqualTo(1);
        assertThat(verdict.seqGaps()).isEqualTo(1);
        assertThat(verdict.describe()).endsWith("(1 seq gaps: n-1 then n+1)");
    }

    @Test
    void aLostDeliveryFailsTheRun() {
        sendTwoMessages();
        for (int socket = 0; socket < 3; socket++) {
            ledger.record(socket, 0, 1);
        }
        ledger.record(0, 1, 2);
        ledger.record(1, 1, 2);

        DeliveryLedger.Verdict verdict = ledger.verdict();
        assertThat(ledger.delivered()).isLessThan(ledger.expected());
        assertThat(verdict.lost()).isEqualTo(1);
        assertThat(verdict.correct()).isFalse();
    }

    @Test
    void aDuplicatedDeliveryFailsTheRunEvenWhenTheCountAddsUp() {
        ledger.expect(3);
        ledger.record(0, 0, 1);
        ledger.record(1, 0, 1);
        assertThat(ledger.record(1, 0, 1)).isFalse();

        DeliveryLedger.Verdict verdict = ledger.verdict();
        assertThat(verdict.duplicates()).isEqualTo(1);
        assertThat(verdict.lost()).isEqualTo(1);
        assertThat(verdict.correct()).isFalse();
    }

    @Test
    void aMessageDeliveredToANonRecipientFailsTheRun() {
        DeliveryLedger pairs = new DeliveryLedger(4, (socket, message) -> socket / 2 == message);
        pairs.expect(2);
        pairs.record(0, 0, 1);
        pairs.record(1, 0, 1);
        assertThat(pairs.record(2, 0, 1)).isFalse();

        assertThat(pairs.verdict().misrouted()).isEqualTo(1);
        assertThat(pairs.verdict().correct()).isFalse();
    }

    @Test
    void aSeqThatGoesBackwardsFailsTheRun() {
        sendTwoMessages();
        ledger.record(0, 1, 2);
        ledger.record(0, 0, 1);

        assertThat(ledger.verdict().outOfOrder()).isEqualTo(1);
        assertThat(ledger.verdict().correct()).isFalse();
    }
}
