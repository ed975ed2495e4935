package dev.chatwire.benchmark;

import org.eclipse.jetty.websocket.core.CloseStatus;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
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

    /**
     * Creates one chat of each {@code size} consecutive users (chat {@code c} is users {@code size * c} to
     * {@code size * (c + 1) - 1}), minting every user's token first so that no timed phase counts the signing.
     *
     * @return the chat ids, in order
     */
    List<String> createChats(List<String> users, int size) throws InterruptedException {
        List<List<String>> groups = new ArrayList<>();
        for (int first = 0; first + size <= users.size(); first += size) {
            groups.add(users.subList(first, first + size));
        }
        users.forEach(run.client()::token);
        Progress.say(run.label(), "creating " + groups.size() + " chats of " + size);
        return run.client().createChats(groups, run.options().integer("rest-window"));
    }

    /**
     * Posts messages {@code from} to {@code to - 1} through REST, message {@code m} as {@code sender(m)} to
     * {@code chat(m)}, with at most {@code rest-window} calls in flight, and waits for the answers.
     *
     * @param idPrefix the prefix of each message's idempotency key (the message number follows), or null for none
     */
    void postAll(int from, int to, IntFunction<String> sender, IntFunction<String> chat, String idPrefix)
            throws InterruptedException {
        Semaphore window = new Semaphore(run.options().integer("rest-window"));
        List<CompletableFuture<Boolean>> answers = new ArrayList<>(Math.max(0, to - from));
        for (int message = from; message < to; message++) {
            window.acquire();
            answers.add(post(sender.apply(message), chat.apply(message), new Marker(message, System.nanoTime()),
                    run.options().integer("text-length"), idPrefix == null ? null : idPrefix + message)
                    .whenComplete((stored, failure) -> window.release()));
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).join();
    }

    /** Opens and authenticates a socket per user, numbered from {@code first}, with a progress line. */
    List<ClientSocket> connect(int first, List<String> users, boolean smallBuffer)
            throws InterruptedException {
        AtomicInteger ready = new AtomicInteger();
        try (Progress progress = Progress.of(run.label(), () -> "connected " + ready.get() + " / " + users.size())) {
            return run.client().connectAll(first, users, this, smallBuffer,
                    run.options().integer("connect-concurrency"), ready::set);
        }
    }

    /** Closes sockets, counting those that do not close as a problem. */
    void close(Collection<ClientSocket> sockets) {
        int open = run.client().closeAll(sockets, run.options().seconds("stall-seconds"));
        if (open > 0) {
            problems.add(open + " sockets did not close");
        }
    }

    /**
     * Posts a benchmark message through {@code POST /api/messages}; a failed call or an answer other than 201 is
     * counted as a problem.
     *
     * @param clientMessageId the message's idempotency key, or null for none
     * @return completes, never exceptionally, with whether the server stored the message
     */
    CompletableFuture<Boolean> post(String sender, String chatId, Marker marker, int textLength,
                                    String clientMessageId) {
        String body = "{\"chatId\":\"" + chatId + "\",\"text\":\"" + marker.text(textLength) + "\""
                + (clientMessageId == null ? "" : ",\"clientMessageId\":\"" + clientMessageId + "\"") + "}";
        return run.client().post("/api/messages", sender, body).handle((response, failure) -> {
            if (failure != null || response.status() != 201) {
                problems.add("POST /api/messages #" + marker.message() + " to " + chatId + " failed: "
                        + (failure != null ? failure : response.status() + " " + response.body()));
                return false;
            }
            return true;
        });
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
