package dev.chatwire.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HeldFramesTest {

    @Test
    void framesAreNotHeldUntilStarted() {
        HeldFrames held = new HeldFrames(2);
        assertThat(held.offer("a")).isEqualTo(HeldFrames.Offer.NOT_HOLDING);
    }

    @Test
    void aFrameOverTheBoundIsRefusedAndTheOthersStayHeld() {
        HeldFrames held = new HeldFrames(2);
        held.start();
        assertThat(held.offer("a")).isEqualTo(HeldFrames.Offer.HELD);
        assertThat(held.offer("b")).isEqualTo(HeldFrames.Offer.HELD);
        assertThat(held.offer("c")).isEqualTo(HeldFrames.Offer.TOO_MANY);
        List<String> ran = new ArrayList<>();
        held.runAndStop(ran::add, () -> false);
        assertThat(ran).containsExactly("a", "b");
    }

    @Test
    void framesThatComeWhileHeldOnesRunAreHeldAndRunAfterThemThenHoldingStops() {
        HeldFrames held = new HeldFrames(4);
        held.start();
        held.offer("a");
        held.offer("b");
        List<String> ran = new ArrayList<>();
        held.runAndStop(frame -> {
            ran.add(frame);
            if (frame.equals("a")) {
                assertThat(held.offer("c")).isEqualTo(HeldFrames.Offer.HELD);
            }
        }, () -> false);
        assertThat(ran).containsExactly("a", "b", "c");
        assertThat(held.offer("d")).isEqualTo(HeldFrames.Offer.NOT_HOLDING);
    }

    @Test
    void onceTheSocketClosesTheRestIsDropped() {
        HeldFrames held = new HeldFrames(4);
        held.start();
        held.offer("a");
        held.offer("b");
        List<String> ran = new ArrayList<>();
        held.runAndStop(ran::add, () -> !ran.isEmpty());
        assertThat(ran).containsExactly("a");
        assertThat(held.offer("c")).isEqualTo(HeldFrames.Offer.NOT_HOLDING);
    }
}
