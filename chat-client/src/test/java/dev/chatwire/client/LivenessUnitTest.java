package dev.chatwire.client;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LivenessUnitTest {

    private final Liveness liveness = new Liveness();

    @Test
    void aLinkIsDeadWhenNothingArrivesForAWholeIntervalAfterAPing() {
        assertThat(liveness.silentSinceLastPing()).as("first tick only sends a ping").isFalse();

        assertThat(liveness.silentSinceLastPing()).isTrue();
    }

    @Test
    void anythingHeardBetweenTwoTicksKeepsTheLinkForOneMoreInterval() {
        liveness.silentSinceLastPing();
        liveness.heard();
        assertThat(liveness.silentSinceLastPing()).isFalse();
        liveness.heard();
        assertThat(liveness.silentSinceLastPing()).isFalse();

        assertThat(liveness.silentSinceLastPing()).isTrue();
    }
}
