package dev.chatwire.client;

import java.net.http.WebSocket;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Writes one socket's text frames in order, one at a time: {@link WebSocket#sendText} refuses a second text frame
 * while one is pending. Not thread-safe: used on the client's event thread, where completions come back.
 */
final class FrameWriter {

    private final WebSocket socket;
    private final Executor lane;
    private final Consumer<Throwable> onFailure;
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private boolean writing;
    private boolean failed;

    FrameWriter(WebSocket socket, Executor lane, Consumer<Throwable> onFailure) {
        this.socket = socket;
        this.lane = lane;
        this.onFailure = onFailure;
    }

    /** Queues a frame behind those not yet written. */
    void write(String frame) {
        if (failed) {
            return;
        }
        queue.add(frame);
        if (!writing) {
            writeNext();
        }
    }

    private void writeNext() {
        String frame = queue.poll();
        if (frame == null) {
            writing = false;
            return;
        }
        writing = true;
        socket.sendText(frame, true).whenComplete((ignored, failure) -> lane.execute(() -> {
            if (failure != null) {
                failed = true;
                queue.clear();
                onFailure.accept(failure);
            } else {
                writeNext();
            }
        }));
    }
}
