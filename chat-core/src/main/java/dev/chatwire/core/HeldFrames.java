package dev.chatwire.core;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The frames a socket sent while it was being admitted, held in order, at most a given number, to run once admission
 * ends. Thread-safe: frames come on the transport's thread while admission ends on the executor's.
 */
final class HeldFrames {

    /** What became of an offered frame. */
    enum Offer { HELD, TOO_MANY, NOT_HOLDING }

    private final int max;
    /** Null when not holding. */
    private ArrayDeque<String> frames;

    /** @param max how many frames may wait at once */
    HeldFrames(int max) {
        this.max = max;
    }

    /** From now on, frames are held until {@link #runAndStop}. */
    synchronized void start() {
        frames = new ArrayDeque<>();
    }

    /** Holds the frame if frames are being held and there is room. */
    synchronized Offer offer(String frame) {
        if (frames == null) {
            return Offer.NOT_HOLDING;
        }
        if (frames.size() >= max) {
            return Offer.TOO_MANY;
        }
        frames.add(frame);
        return Offer.HELD;
    }

    /**
     * Runs the held frames in order, those that come meanwhile too, then stops holding. Once {@code dropRest} says so,
     * what is left is dropped instead.
     */
    void runAndStop(Consumer<String> run, BooleanSupplier dropRest) {
        while (true) {
            List<String> waiting;
            synchronized (this) {
                if (frames == null || frames.isEmpty() || dropRest.getAsBoolean()) {
                    frames = null;
                    return;
                }
                waiting = List.copyOf(frames);
                frames.clear();
            }
            for (String frame : waiting) {
                if (dropRest.getAsBoolean()) {
                    break;
                }
                run.accept(frame);
            }
        }
    }
}
