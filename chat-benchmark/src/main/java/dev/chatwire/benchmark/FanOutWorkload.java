package dev.chatwire.benchmark;

import org.eclipse.jetty.websocket.core.CloseStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * One chat of N members with one socket each, written through REST as fast as the server takes it, with at most W
 * messages posted but not yet delivered to every member. Measures deliveries per second, the latency of each delivery
 * and of each post's answer, and checks that every member got every message once, in seq order. Two shapes: fan-out
 * (1,000 members, member 0 posts, 8 in flight: the cost of a delivery) and the hot chat (20 members who all post, 50
 * in flight: the cost of a message, and of the store's per-chat ordering).
 */
final class FanOutWorkload implements ClientSocket.Listener {

    /** A deadline past any run, as an offset from now: {@code nanoTime} may be negative, so never Long.MAX_VALUE. */
    private static final long NO_DEADLINE = Duration.ofDays(1).toNanos();

    /**
     * The size of a run.
     *
     * @param prefix  the members' user names' prefix
     * @param senders how many members post, in turn (member 0 alone in fan-out)
     */
    record Shape(String prefix, int members, int senders, int warmup, int measured, int window) {
    }

    private final Workload run;
    private final Shape shape;
    private final int members;
    private final int warmup;
    private final int total;
    private final DeliveryLedger ledger;
    private final LatencyRecorder latency;
    private final LatencyRecorder postLatency;
    private final AtomicIntegerArray completions;
    private final Semaphore window;
    private final AtomicInteger joined = new AtomicInteger();
    private final LongAccumulator lastDelivery = new LongAccumulator(Math::max, 0);
    private final Problems problems;
    private volatile String chatId;

    private FanOutWorkload(Workload run, Shape shape) {
        this.run = run;
        this.shape = shape;
        this.members = shape.members();
        this.warmup = shape.warmup();
        this.total = warmup + shape.measured();
        this.ledger = new DeliveryLedger(members, (socket, message) -> message < total);
        this.latency = new LatencyRecorder(Math.multiplyExact(members, shape.measured()));
        this.postLatency = new LatencyRecorder(shape.measured());
        this.completions = new AtomicIntegerArray(total);
        this.window = new Semaphore(shape.window());
        this.problems = new Problems(run.label());
    }

    /** Runs fan-out with the options' sizes. */
    static Throughput run(Workload run) throws Exception {
        BenchmarkOptions o = run.options();
        return new FanOutWorkload(run, new Shape("fan-", o.fanoutMembers(), 1, o.fanoutWarmup(), o.fanoutMessages(),
                o.fanoutWindow())).execute();
    }

    /** Runs the hot chat with the options' sizes. */
    static Throughput hotChat(Workload run) throws Exception {
        BackendOptions o = run.options().backends();
        return new FanOutWorkload(run, new Shape("hot-", o.hotMembers(), o.hotMembers(), o.hotWarmup(),
                o.hotMessages(), o.hotWindow())).execute();
    }

    /** Runs fan-out with explicit sizes (the serialization check uses a smaller one). */
    static Throughput run(Workload run, int members, int warmup, int measured, int window,
                          Runnable measuredStarts, Runnable measuredEnds) throws Exception {
        FanOutWorkload workload = new FanOutWorkload(run, new Shape("fan-", members, 1, warmup, measured, window));
        return workload.execute(measuredStarts, measuredEnds);
    }

    private Throughput execute() throws Exception {
        return execute(() -> { }, () -> { });
    }

    private Throughput execute(Runnable measuredStarts, Runnable measuredEnds) throws Exception {
        LoadClient client = run.client();
        List<String> users = new ArrayList<>(members);
        for (int i = 0; i < members; i++) {
            users.add(shape.prefix() + i);
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
            List<String> senders = users.subList(0, shape.senders());
            post(0, warmup, senders, "warm-up", System.nanoTime() + NO_DEADLINE);
            measuredStarts.run();
            Instant from = Instant.now();
            CpuMeter cpu = CpuMeter.start(run);
            long start = System.nanoTime();
            Duration budget = run.options().fanoutBudget();
            int posted = post(warmup, total, senders, "timed", start + budget.toNanos());
            long end = lastDelivery.get();
            long messages = posted - warmup;
            long measured = messages * members;
            double serverMicros = cpu.serverMicrosPer(measured);
            double clientMicros = cpu.clientMicrosPer(measured);
            CpuMeter.Machine machine = cpu.machineSinceStart();
            Map<String, Double> extra = new LinkedHashMap<>();
            double seconds = Math.max(1, end - start) / 1e9;
            extra.put("messages_per_s", messages / seconds);
            LatencyRecorder.Summary posts = postLatency.summary();
            extra.put("post_p50_ms", posts.p50());
            extra.put("post_p99_ms", posts.p99());
            extra.put("server_cpu_us_per_message", serverMicros * members);
            extra.putAll(cpu.backendFigures(messages, "message"));
            measuredEnds.run();
            run.phase("fan-out", from, Instant.now());
            return new Throughput(measured, measured / seconds, latency.summary(), ledger.verdict(), problems.count(),
                    serverMicros, clientMicros, machine, extra);
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
    private int post(int from, int to, List<String> senders, String phase, long deadline)
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
                ledger.expect(members);
                String sender = senders.get(message % senders.size());
                MessagePost.send(run.client(), sender, chatId, marker, run.options().textLength(), "c" + message,
                        problems).thenAccept(stored -> {
                            if (marker.message() >= warmup) {
                                postLatency.record(System.nanoTime() - marker.sentNanos());
                            }
                            if (!stored) {
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
