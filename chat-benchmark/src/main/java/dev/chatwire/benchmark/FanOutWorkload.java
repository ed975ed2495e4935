package dev.chatwire.benchmark;

import org.eclipse.jetty.websocket.core.CloseStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * Fan-out: one chat of N members with one socket each; member 0 posts messages through REST as fast as the server
 * takes them, with at most W messages posted but not yet delivered to every member. Measures deliveries per second and
 * the latency of each delivery, and checks that every member got every message once, in seq order.
 */
final class FanOutWorkload implements ClientSocket.Listener {

    /** A deadline past any run, as an offset from now: {@code nanoTime} may be negative, so never Long.MAX_VALUE. */
    private static final long NO_DEADLINE = Duration.ofDays(1).toNanos();

    private final Workload run;
    private final int members;
    private final int warmup;
    private final int total;
    private final DeliveryLedger ledger;
    private final LatencyRecorder latency;
    private final AtomicIntegerArray completions;
    private final Semaphore window;
    private final AtomicInteger joined = new AtomicInteger();
    private final LongAccumulator lastDelivery = new LongAccumulator(Math::max, 0);
    private final Problems problems;
    private volatile String chatId;

    private FanOutWorkload(Workload run, int members, int warmup, int measured, int window) {
        this.run = run;
        this.members = members;
        this.warmup = warmup;
        this.total = warmup + measured;
        this.ledger = new DeliveryLedger(members, (socket, message) -> message < total);
        this.latency = new LatencyRecorder(Math.multiplyExact(members, measured));
        this.completions = new AtomicIntegerArray(total);
        this.window = new Semaphore(window);
        this.problems = new Problems(run.label());
    }

    /** Runs the workload with the options' sizes. */
    static Throughput run(Workload run) throws Exception {
        BenchmarkOptions o = run.options();
        return new FanOutWorkload(run, o.fanoutMembers(), o.fanoutWarmup(), o.fanoutMessages(), o.fanoutWindow())
                .execute();
    }

    /** Runs the workload with explicit sizes (the serialization check uses a smaller one). */
    static Throughput run(Workload run, int members, int warmup, int measured, int window,
                          Runnable measuredStarts, Runnable measuredEnds) throws Exception {
        FanOutWorkload workload = new FanOutWorkload(run, members, warmup, measured, window);
        return workload.execute(measuredStarts, measuredEnds);
    }

    private Throughput execute() throws Exception {
        return execute(() -> { }, () -> { });
    }

    private Throughput execute(Runnable measuredStarts, Runnable measuredEnds) throws Exception {
        LoadClient client = run.client();
        List<String> users = new ArrayList<>(members);
        for (int i = 0; i < members; i++) {
            users.add("fan-" + i);
        }
        List<ClientSocket> sockets;
        try (Progress progress = Progress.of(run.label(), () -> "connected " + joined.get() + " / " + members)) {
            sockets = client.connectAll(0, users, this, run.options().connectConcurrency(), joined::set);
        }
        try {
            // The chat is created after everyone is online, so that no presence storm precedes the run.
            joined.set(0);
            chatId = client.createChats(List.of(users), 1).get(0);
            if (!Waits.until(joined::get, () -> members, run.options().stall())) {
                throw new IllegalStateException("only " + joined.get() + " of " + members + " sockets joined the chat");
            }
            String sender = users.get(0);
            String token = client.token(sender);
            post(0, warmup, sender, token, "warm-up", System.nanoTime() + NO_DEADLINE);
            measuredStarts.run();
            Instant from = Instant.now();
            CpuMeter cpu = CpuMeter.start(run.server());
            long start = System.nanoTime();
            Duration budget = run.options().fanoutBudget();
            int posted = post(warmup, total, sender, token, "fan-out", start + budget.toNanos());
            long end = lastDelivery.get();
            long measured = (long) (posted - warmup) * members;
            double serverMicros = cpu.serverMicrosPer(measured);
            double clientMicros = cpu.clientMicrosPer(measured);
            CpuMeter.Machine machine = cpu.machineSinceStart();
            measuredEnds.run();
            run.phase("fan-out", from, Instant.now());
            double seconds = Math.max(1, end - start) / 1e9;
            return new Throughput(measured, measured / seconds, latency.summary(), ledger.verdict(), problems.count(),
                    serverMicros, clientMicros, machine);
        } finally {
            int open = client.closeAll(sockets, run.options().stall());
            if (open > 0) {
                problems.add(open + " sockets did not close");
            }
        }
    }

    /**
     * Posts messages {@code from} to {@code to} within the window, or until {@code deadline} ({@link System#nanoTime}),
     * and waits until the posted ones are all delivered.
     *
     * @return the number after the last message posted
     */
    private int post(int from, int to, String sender, String token, String phase, long deadline)
            throws InterruptedException {
        int message = from;
        try (Progress progress = Progress.of(run.label(), () -> String.format("%s %,d / %,d deliveries", phase,
                ledger.delivered() - (long) from * members, (long) (to - from) * members))) {
            for (; message < to && System.nanoTime() - deadline < 0; message++) {
                if (!window.tryAcquire(run.options().stall().toMillis(), TimeUnit.MILLISECONDS)) {
                    problems.add("the window did not move for " + run.options().stall() + ": deliveries are missing");
                    break;
                }
                Marker marker = new Marker(message, System.nanoTime());
                String body = "{\"chatId\":\"" + chatId + "\",\"text\":\"" + marker.text(run.options().textLength())
                        + "\",\"clientMessageId\":\"c" + message + "\"}";
                ledger.expect(members);
                CompletableFuture<LoadClient.Response> sent = run.client().post("/api/messages", sender, token, body);
                int posted = message;
                sent.whenComplete((response, failure) -> {
                    if (failure != null || response.status() != 201) {
                        problems.add("POST /api/messages #" + posted + " failed: "
                                + (failure != null ? failure : response.status() + " " + response.body()));
                        window.release();
                    }
                });
            }
            Waits.until(ledger::delivered, ledger::expected, run.options().stall());
        }
        return message;
    }

    @Override
    public void onFrame(ClientSocket socket, String type, String frame) {
        switch (type) {
            case "new_message" -> delivered(socket, frame);
            case "chat_joined" -> joined.incrementAndGet();
            case "error" -> problems.add("error frame: " + frame);
            default -> { }
        }
    }

    private void delivered(ClientSocket socket, String frame) {
        long now = System.nanoTime();
        Marker marker = Marker.ofNewMessage(frame, problems);
        if (marker == null) {
            return;
        }
        if (ledger.record(socket.index(), marker.message(), FrameScanner.number(frame, "seq", -1))) {
            lastDelivery.accumulate(now);
            if (marker.message() >= warmup) {
                latency.record(now - marker.sentNanos());
            }
            if (completions.incrementAndGet(marker.message()) == members) {
                window.release();
            }
        }
    }

    @Override
    public void onClosed(ClientSocket socket, CloseStatus status, boolean expected) {
        if (!expected) {
            problems.add("socket " + socket.index() + " closed by the server: " + status);
        }
    }
}
