package dev.chatwire.benchmark;

import org.eclipse.jetty.websocket.core.CloseStatus;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * What every workload does with its sockets: reads each frame (a benchmark message, an ack, a {@code chat_joined},
 * an error), counts what went wrong, connects and closes its sockets with progress lines, and posts its messages. A
 * workload says what a delivery means to it ({@link #delivered}).
 */
abstract class ChatWorkload implements ClientSocket.Listener {

    final Workload run;
    final Problems problems;
    /** {@code chat_joined} frames received: the sockets that are in a chat created after they connected. */
    final AtomicInteger joined = new AtomicInteger();

    ChatWorkload(Workload run) {
        this.run = run;
        this.problems = new Problems(run.label());
    }

    /** A benchmark message arrived at a socket, with its seq, at {@code nanos} ({@link System#nanoTime}). */
    abstract void delivered(ClientSocket socket, Marker marker, long seq, long nanos);

    /** A socket's send was acked; only workloads that send over sockets care. */
    void acked(ClientSocket socket, String frame) {
    }

    @Override
    public void onFrame(ClientSocket socket, String type, String frame) {
        long now = System.nanoTime();
        switch (type) {
            case "new_message" -> {
                Marker marker = Marker.ofNewMessage(frame, problems);
                if (marker != null) {
                    delivered(socket, marker, FrameScanner.number(frame, "seq", -1), now);
                }
            }
            case "ack" -> acked(socket, frame);
            case "chat_joined" -> joined.incrementAndGet();
            case "error" -> problems.add("error frame: " + frame);
            default -> { }
        }
    }

    @Override
    public void onClosed(ClientSocket socket, CloseStatus status, boolean expected) {
        if (!expected) {
            problems.add("socket " + socket.index() + " closed by the server: " + status);
        }
    }

    /** {@code count} user names: the prefix and 0, 1, ... */
    static List<String> users(String prefix, int count) {
        List<String> users = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            users.add(prefix + i);
        }
        return users;
    }

    /** Opens and authenticates a socket per user, numbered from {@code first}, with a progress line. */
    List<ClientSocket> connect(int first, List<String> users, LoadClient.ReceiveBuffer buffer)
            throws InterruptedException {
        AtomicInteger ready = new AtomicInteger();
        try (Progress progress = Progress.of(run.label(), () -> "connected " + ready.get() + " / " + users.size())) {
            return run.client().connectAll(first, users, this, buffer, run.options().integer("connect-concurrency"),
                    ready::set);
        }
    }

    /** Closes sockets, counting those that do not close as a problem. */
    void close(Collection<ClientSocket> sockets) {
        int open = run.client().closeAll(sockets, run.options().seconds("stall-seconds"));
        if (open > 0) {
            problems.add(open + " sockets did not close");
        }
    }

    /** Posts a benchmark message through REST; completes, never exceptionally, with whether it was stored. */
    CompletableFuture<Boolean> post(String sender, String chatId, Marker marker, int textLength,
                                    String clientMessageId) {
        return MessagePost.send(run.client(), sender, chatId, marker, textLength, clientMessageId, problems);
    }

    /** Waits until a count reaches its goal, counting a stall as a problem; returns whether it did. */
    boolean await(String what, LongSupplier count, LongSupplier goal) throws InterruptedException {
        boolean reached = Waits.until(count, goal, run.options().seconds("stall-seconds"));
        if (!reached) {
            problems.add(what + " stalled at " + count.getAsLong() + " of " + goal.getAsLong());
        }
        return reached;
    }
}
