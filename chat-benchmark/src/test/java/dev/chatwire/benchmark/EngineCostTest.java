package dev.chatwire.benchmark;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EngineCostTest {

    @Test
    void aResultSurvivesTheTripThroughTheChildsOutput() {
        EngineCost.Result result = new EngineCost.Result(4000, 6.5, 15.25, 4000, 8000, 0);

        EngineCost.Result read = EngineCost.Result.parse("a log line\n" + result.format() + "\n");

        assertThat(read).isEqualTo(result);
        assertThat(read.correct()).isTrue();
    }

    @Test
    void aLostAckOrDeliveryOrAnErrorFrameFailsTheCheck() {
        assertThat(new EngineCost.Result(4000, 6.5, 15.25, 3999, 8000, 0).correct()).isFalse();
        assertThat(new EngineCost.Result(4000, 6.5, 15.25, 4000, 7999, 0).correct()).isFalse();
        assertThat(new EngineCost.Result(4000, 6.5, 15.25, 4000, 8000, 1).correct()).isFalse();
        assertThat(new EngineCost.Result(0, 0, 0, 0, 0, 0).correct()).isFalse();
    }

    @Test
    void outputWithoutAResultIsRefused() {
        assertThatThrownBy(() -> EngineCost.Result.parse("Exception in thread main"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
