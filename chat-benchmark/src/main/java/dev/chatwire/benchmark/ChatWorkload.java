package dev.chatwire.benchmark;

import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.websocket.core.CloseStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;

/**
 * The skeleton every workload shares: it creates chats, connects and closes sockets with progress lines, posts
 * benchmark messages through REST, reads each frame (a benchmark message, an ack, a {@code chat_joined}, an error),
 * records each delivery in a {@link DeliveryLedger}, counts what went wrong, and sums it all up as {@link Measured}.
 * A workload says who receives what (its ledger's audience) and what it times.
 */
abstract class ChatWorkload implements ClientSocket.Listener {

    final Workload run;
    final Options options;
    final Progress progress;
    final DeliveryLedger ledger;
    /** {@code chat_joined} frames received: the sockets that are in a chat created after they connected. */
    final AtomicInteger joined = new AtomicInteger();

    ChatWorkload(Workload run, int sockets, DeliveryLedger.Audience audience) {
        this.run = run;
        this.options = run.options();
        this.progress = new Progress(run.label());
        this.ledger = new DeliveryLedger(sockets, audience);
    }

    /**
     * A benchmark message arrived at a socket, with its seq, at {@code nanos} ({@link System#nanoTime}): recorded in
     * the ledger. Workloads that time deliveries add that.
     */
    void delivered(ClientSocket socket, Marker marker, long seq, long nanos) {
        ledger.record(socket.index(), marker.message(), seq);
    }

    /** A socket's send was acked; only workloads that send over sockets care. */
    void acked(ClientSocket socket, String frame) {
    }

    @Override
    public void onFrame(ClientSocket socket, String type, String frame) {
        long now = System.nanoTime();
        switch (type) {
            case "new_message" -> {
                Marker marker = Marker.parse(FrameScanner.string(frame, "text", 0));
                if (marker == null) {
                    progress.problem("a new_message without a benchmark marker: " + frame);
                } else {
                    delivered(socket, marker, FrameScanner.number(frame, "seq", -1), now);
                }
            }
            case "ack" -> acked(socket, frame);
            case "chat_joined" -> joined.incrementAndGet();
            case "error" -> progress.problem("error frame: " + frame);
            default -> { }
        }
    }

    @Override
    public void onClosed(ClientSocket socket, CloseStatus status, boolean expected) {
        if (!expected) {
            progress.problem("socket " + socket.index() + " closed by the server: " + status);
        }
    }

    /** What the run measured: correct when every delivery was and nothing else went wrong. */
    Measured measured(String workload, String rateKey, Map<String, Double> figures) {
        DeliveryLedger.Verdict verdict = ledger.verdict();
        return new Measured(workload, rateKey, figures, verdict.correct() && progress.problems() == 0,
                verdict.describe() + ", " + progress.problems() + " problems");
    }

    /** {@code count} user names: the prefix and 0, 1, ... */
    static List<String> users(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
    }

    /**
     * Starts {@code count} calls, {@code call(0)} first, at most {@code window} in flight, and waits until all have
     * completed, normally or not.
     *
     * @return the calls, in order
     */
    static <T> List<CompletableFuture<T>> windowed(int count, int window, IntFunction<CompletableFuture<T>> call)
            throws InterruptedException {
        Semaphore permits = new Semaphore(window);
        List<CompletableFuture<T>> calls = new ArrayList<>(Math.max(0, count));
        for (int i = 0; i < count; i++) {
            permits.acquire();
            calls.add(call.apply(i).whenComplete((result, failure) -> permits.release()));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).exceptionally(failure -> null).join();
        return calls;
    }

    /**
     * Creates one chat of each {@code size} consecutive users (chat {@code c} is users {@code size * c} to
     * {@code size * (c + 1) - 1}, its creator first) through {@code POST /api/chats}, minting every user's token
     * first so that no timed phase counts the signing.
     *
     * @return the chat ids, in order
     */
    List<String> createChats(List<String> users, int size) throws InterruptedException {
        users.forEach(run.client()::token);
        progress.say("creating " + users.size() / size + " chats of " + size);
        return windowed(users.size() / size, options.integer("rest-window"), chat -> run.client().post("/api/chats",
                users.get(chat * size), "{\"name\":\"bench\",\"participants\":[\"" + String.join("\",\"",
                        users.subList(chat * size + 1, (chat + 1) * size)) + "\"]}"))
                .stream().map(response -> chatId(response.join())).toList();
    }

    /** The new chat's id: both servers answer {@code {"chat":{"id":...}}}, so it is the body's first id. */
    private static String chatId(ContentResponse response) {
        String id = FrameScanner.string(response.getContentAsString(), "id", 0);
        if (response.getStatus() != 201 || id == null) {
            throw new IllegalStateException("POST /api/chats answered " + response.getStatus() + ": "
                    + response.getContentAsString());
        }
        return id;
    }

    /**
     * Opens and authenticates a socket per user, numbered from {@code first}, at most {@code connect-concurrency}
     * handshakes at a time, with a progress line.
     *
     * @param smallBuffer whether the sockets get a small kernel receive buffer, to stop reading later
     * @throws IllegalStateException if any socket could not connect; those that did are closed
     */
    List<ClientSocket> connect(int first, List<String> users, boolean smallBuffer) throws InterruptedException {
        AtomicInteger ready = new AtomicInteger();
        List<CompletableFuture<ClientSocket>> pending;
        try (Progress.Ticker ticker = progress.ticking(() -> "connected " + ready.get() + " / " + users.size())) {
            pending = windowed(users.size(), options.integer("connect-concurrency"), i -> run.client()
                    .open(first + i, users.get(i), this, smallBuffer, true, null, Duration.ofSeconds(60))
                    .whenComplete((socket, failure) -> {
                        if (failure == null) {
                            ready.incrementAndGet();
                        } else {
                            progress.problem("the socket of " + users.get(i) + " did not connect: " + failure);
                        }
                    }));
        }
        List<ClientSocket> sockets = pending.stream().filter(socket -> !socket.isCompletedExceptionally())
                .map(CompletableFuture::join).toList();
        if (sockets.size() < users.size()) {
            close(sockets);
            throw new IllegalStateException("only " + sockets.size() + " of " + users.size() + " sockets connected");
        }
        return sockets;
    }

    /** Closes sockets, counting those that do not close as a problem. */
    void close(Collection<ClientSocket> sockets) {
        int open = run.client().closeAll(sockets, options.seconds("stall-seconds"));
        if (open > 0) {
            progress.problem(open + " sockets did not close");
        }
    }

    /**
     * Posts messages {@code from} to {@code to - 1} through REST, message {@code m} as {@code sender(m)} to
     * {@code chat(m)}, with at most {@code rest-window} calls in flight, and waits for the answers.
     *
     * @param idPrefix the prefix of each message's idempotency key (the message number follows), or null for none
     */
    void postAll(int from, int to, IntFunction<String> sender, IntFunction<String> chat, String idPrefix)
            throws InterruptedException {
        windowed(to - from, options.integer("rest-window"), i -> post(sender.apply(from + i), chat.apply(from + i),
                new Marker(from + i, System.nanoTime()), options.integer("text-length"),
                idPrefix == null ? null : idPrefix + (from + i)));
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
            if (failure != null || response.getStatus() != 201) {
                progress.problem("POST /api/messages #" + marker.message() + " to " + chatId + " failed: "
                        + (failure != null ? failure : response.getStatus() + " " + response.getContentAsString()));
                return false;
            }
            return true;
        });
    }

    /** Waits until a count reaches its goal, counting a stall as a problem; returns whether it did. */
    boolean await(String what, LongSupplier count, LongSupplier goal) throws InterruptedException {
        boolean reached = Progress.until(count, goal, options.seconds("stall-seconds"));
        if (!reached) {
            progress.problem(what + " stalled at " + count.getAsLong() + " of " + goal.getAsLong());
        }
        return reached;
    }

    /** Waits, with a progress line, until the ledger has every delivery expected so far. */
    boolean awaitDeliveries(String what) throws InterruptedException {
        try (Progress.Ticker ticker = progress.ticking(() -> String.format("%s: %,d / %,d deliveries so far", what,
                ledger.delivered(), ledger.expected()))) {
            return await(what + " deliveries", ledger::delivered, ledger::expected);
        }
    }
}
