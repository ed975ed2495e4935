package dev.chatwire.benchmark;

import org.eclipse.jetty.websocket.core.CloseStatus;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * Slow readers: what sockets that stop reading cost the others. One chat of N members; member 0 posts M messages
 * through REST with at most W posted but not yet delivered to every healthy member, three times on the same server:
 * to the N - S healthy members alone (the other S are members but offline), then after the S came online and stopped
 * reading (their client reads nothing more, so their TCP receive buffers fill and the server's writes to them back
 * up), then alone again once the S are gone. Deliveries per second, latency and server CPU are measured on the N - S
 * healthy members in each phase; the stalled phase over the mean of the two others is what the stalled sockets cost
 * them, with whatever drifts through a run (the JIT still compiling, the heap growing) on both sides of the ratio. The
 * healthy members and their client do the same work in every phase; only the server has S more recipients in the
 * second.
 *
 * <p>The stalled sockets have small receive buffers ({@link LoadClient.ReceiveBuffer#SMALL}) and stay stalled for at
 * least the options' hold, longer than Chatwire's 10 s send timeout (the container's own, on both servers, is 20 s);
 * then they read again, and the workload records what the server did with them: closed them (by which close code), or
 * kept them and delivered everything once they read. Every healthy member must get every message once, in order; a
 * stalled one must get the second phase's messages once, in order, with no gap, up to where the server gave up on it.
 *
 * <p>Message {@code m} is the {@code m}-th posted: the warm-up, then the three phases in turn. Healthy sockets are
 * numbered {@code 0..N-S-1}, stalled ones {@code N-S..N-1}.
 */
final class SlowReadersWorkload implements ClientSocket.Listener {

    /** A deadline past any run, as an offset from now: {@code nanoTime} may be negative, so never Long.MAX_VALUE. */
    private static final long NO_DEADLINE = Duration.ofDays(1).toNanos();

    /** How often the kernel's queues of the stalled connections are sampled while they are held stalled. */
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(1);

    /**
     * What the workload measured.
     *
     * @param before  deliveries to the healthy members while the S others were offline, before they came online
     * @param stalled deliveries to the healthy members while the S others were online and did not read
     * @param after   deliveries to the healthy members once the S others were gone again
     * @param sockets what became of the stalled sockets
     */
    record Result(Throughput before, Throughput stalled, Throughput after, StalledSockets sockets) {

        /** Whether every healthy delivery was right, nothing failed, and no stalled socket got a message wrong. */
        boolean correct() {
            return after.correct() && sockets.correct();
        }

        /** The figures of the report, by key; {@code _alone} is the mean of the phases before and after. */
        Map<String, Double> figures() {
            Map<String, Double> figures = new LinkedHashMap<>();
            double alone = mean(before.perSecond(), after.perSecond());
            figures.put("deliveries_per_s_alone", alone);
            figures.put("deliveries_per_s_stalled", stalled.perSecond());
            figures.put("deliveries_ratio", ratio(stalled.perSecond(), alone));
            figures.put("deliveries_per_s_before", before.perSecond());
            figures.put("deliveries_per_s_after", after.perSecond());
            figures.put("p50_ms_alone", mean(before.latency().p50(), after.latency().p50()));
            figures.put("p50_ms_stalled", stalled.latency().p50());
            double p99 = mean(before.latency().p99(), after.latency().p99());
            figures.put("p99_ms_alone", p99);
            figures.put("p99_ms_stalled", stalled.latency().p99());
            figures.put("p99_ratio", ratio(stalled.latency().p99(), p99));
            figures.put("p99_ms_before", before.latency().p99());
            figures.put("p99_ms_after", after.latency().p99());
            figures.put("max_ms_alone", Math.max(before.latency().max(), after.latency().max()));
            figures.put("max_ms_stalled", stalled.latency().max());
            figures.put("server_cpu_us_per_delivery_alone", mean(before.serverMicros(), after.serverMicros()));
            figures.put("server_cpu_us_per_delivery_stalled", stalled.serverMicros());
            figures.put("client_cpu_us_per_delivery_alone", mean(before.clientMicros(), after.clientMicros()));
            figures.put("client_cpu_us_per_delivery_stalled", stalled.clientMicros());
            figures.put("other_cpu_percent", Math.max(stalled.machine().others(),
                    Math.max(before.machine().others(), after.machine().others())));
            figures.put("steal_percent", Math.max(stalled.machine().steal(),
                    Math.max(before.machine().steal(), after.machine().steal())));
            figures.put("stalled_closed_4408", (double) sockets.closedWith(4408));
            figures.put("stalled_closed_other", (double) (sockets.closed() - sockets.closedWith(4408)));
            figures.put("stalled_caught_up", (double) sockets.caughtUp());
            figures.put("stalled_left_open", (double) sockets.leftOpen());
            figures.put("stalled_client_queue_kb", sockets.clientReceiveQueue() / 1024.0);
            figures.put("stalled_server_queue_kb", sockets.serverSendQueue() / 1024.0);
            return figures;
        }

        private static double ratio(double stalled, double alone) {
            return alone > 0 ? stalled / alone : Double.NaN;
        }

        private static double mean(double a, double b) {
            return (a + b) / 2;
        }

        /** What the delivery checks found, in one line. */
        String checks() {
            return "healthy: " + after.verdict().describe() + ", " + after.errors() + " problems; stalled: "
                    + sockets.describe();
        }
    }

    /**
     * What became of the stalled sockets.
     *
     * @param count              how many stopped reading
     * @param held               how long they were stalled before they read again
     * @param closedBy           how many the server had closed, by close code, as they found once they read again
     * @param caughtUp           how many were open and, once they read again, got every message
     * @param clientReceiveQueue the fullest receive queue of a stalled socket's client while stalled, bytes
     * @param serverSendQueue    the fullest send queue of the server towards a stalled socket, bytes
     * @param gapped             how many got a message after missing an earlier one
     * @param verdict            deliveries to them; messages the server dropped when it gave up on one count as lost,
     *                           which is no failure, unlike a gap, a duplicate or a reordering
     */
    record StalledSockets(int count, Duration held, Map<Integer, Integer> closedBy, int caughtUp,
                          long clientReceiveQueue, long serverSendQueue, int gapped, DeliveryLedger.Verdict verdict) {

        StalledSockets {
            closedBy = Map.copyOf(closedBy);
        }

        /** How many the server closed. */
        int closed() {
            return closedBy.values().stream().mapToInt(Integer::intValue).sum();
        }

        /** How many the server closed with {@code code}. */
        int closedWith(int code) {
            return closedBy.getOrDefault(code, 0);
        }

        /** How many neither closed nor caught up before the wait gave up. */
        int leftOpen() {
            return count - closed() - caughtUp;
        }

        /** Whether no stalled socket missed a message it then got the next of, or got one twice or out of order. */
        boolean correct() {
            return gapped == 0 && verdict.duplicates() == 0 && verdict.misrouted() == 0 && verdict.outOfOrder() == 0;
        }

        /** One line for the report. */
        String describe() {
            StringBuilder codes = new StringBuilder();
            new TreeMap<>(closedBy).forEach((code, n) -> codes.append(codes.isEmpty() ? "" : ", ").append(n)
                    .append(" with ").append(code));
            return String.format("%d held %.1f s without reading (client receive queue up to %,d B, server send queue "
                            + "up to %,d B), then: %d closed by the server%s, %d open and caught up, %d neither; "
                            + "%,d of %,d messages delivered, %d sockets with a gap, %,d duplicated, %,d misrouted, "
                            + "%,d out of order", count, held.toMillis() / 1000.0, clientReceiveQueue, serverSendQueue,
                    closed(), codes.isEmpty() ? "" : " (" + codes + ")", caughtUp, leftOpen(), verdict.delivered(),
                    verdict.expected(), gapped, verdict.duplicates(), verdict.misrouted(), verdict.outOfOrder());
        }
    }

    /** One timed phase: the messages it posts, and what it measured of their healthy deliveries. */
    private static final class Phase {
        final int from;
        final int to;
        final LatencyRecorder latency;
        final LongAccumulator lastDelivery = new LongAccumulator(Math::max, 0);

        Phase(int from, int to, int healthy) {
            this.from = from;
            this.to = to;
            this.latency = new LatencyRecorder(Math.multiplyExact(healthy, to - from));
        }

        boolean measures(int message) {
            return message >= from && message < to;
        }
    }

    private final Workload run;
    private final int members;
    private final int healthy;
    private final int stalledCount;
    private final int warmup;
    private final int measured;
    private final int textLength;
    private final DeliveryLedger ledger;
    private final DeliveryLedger stalledLedger;
    private final AtomicIntegerArray completions;
    private final AtomicIntegerArray stalledReceived;
    /** The lowest and the highest seq each stalled socket got: as many as it got if it missed none in between. */
    private final AtomicIntegerArray stalledLowest;
    private final AtomicIntegerArray stalledHighest;
    private final AtomicIntegerArray closeCodes;
    private final Semaphore window;
    private final AtomicInteger joined = new AtomicInteger();
    private final AtomicInteger posted = new AtomicInteger();
    private final Problems problems;
    private volatile Phase phase = new Phase(0, 0, 1);
    private volatile String chatId;

    private SlowReadersWorkload(Workload run) {
        BenchmarkOptions o = run.options();
        this.run = run;
        this.members = o.slowMembers();
        this.stalledCount = o.slowStalled();
        this.healthy = members - stalledCount;
        this.warmup = o.fanoutWarmup();
        this.measured = o.slowMessages();
        this.textLength = o.slowTextLength();
        int total = warmup + 3 * measured;
        this.ledger = new DeliveryLedger(healthy, (socket, message) -> message < total);
        this.stalledLedger = new DeliveryLedger(stalledCount, (socket, message) -> stalledPhase(message));
        this.completions = new AtomicIntegerArray(total);
        this.stalledReceived = new AtomicIntegerArray(stalledCount);
        this.stalledLowest = new AtomicIntegerArray(stalledCount);
        this.stalledHighest = new AtomicIntegerArray(stalledCount);
        this.closeCodes = new AtomicIntegerArray(stalledCount);
        this.window = new Semaphore(o.fanoutWindow());
        this.problems = new Problems(run.label());
    }

    /** Runs the workload with the options' sizes. */
    static Result run(Workload run) throws Exception {
        return new SlowReadersWorkload(run).execute();
    }

    private Result execute() throws Exception {
        BenchmarkOptions o = run.options();
        LoadClient client = run.client();
        List<String> users = new ArrayList<>(members);
        for (int i = 0; i < members; i++) {
            users.add("slow-" + i);
        }
        List<ClientSocket> sockets = new ArrayList<>(members);
        try {
            try (Progress progress = Progress.of(run.label(), () -> "connected " + joined.get() + " / " + healthy)) {
                sockets.addAll(client.connectAll(0, users.subList(0, healthy), this, o.connectConcurrency(),
                        joined::set));
            }
            // The chat is created after the healthy members are online, so that no presence storm precedes the run;
            // the others are members too, offline for now.
            joined.set(0);
            chatId = client.createChats(List.of(users), 1).get(0);
            if (!Waits.until(joined::get, () -> healthy, o.stall())) {
                throw new IllegalStateException("only " + joined.get() + " of " + healthy + " sockets joined the chat");
            }
            String sender = users.get(0);
            // Minted before the timed phases, which would otherwise count the signing.
            client.token(sender);
            post(0, warmup, sender, "warm-up", System.nanoTime() + NO_DEADLINE);
            Throughput before = timed(warmup, "none stalled", sender);
            // Online, a member's socket is in the chat from the seq its connected frame names: the second phase's.
            List<ClientSocket> stalled = client.connectAll(healthy, users.subList(healthy, members), this,
                    LoadClient.ReceiveBuffer.SMALL, o.connectConcurrency(), n -> { });
            sockets.addAll(stalled);
            stalled.forEach(ClientSocket::stopReading);
            long stalledAt = System.nanoTime();
            Throughput whileStalled = timed(warmup + measured, stalledCount + " stalled", sender);
            // Sampled outside the timed phases: on a machine with many sockets, reading the tables costs CPU.
            TcpQueues.Queues fullest = fullestQueues(stalled, new TcpQueues.Queues(0, 0));
            long holdLeft = stalledAt + o.slowHold().toNanos() - System.nanoTime();
            if (holdLeft > 0) {
                Progress.say(run.label(), String.format("holding the stalled sockets %.1f s more", holdLeft / 1e9));
            }
            while (holdLeft > 0) {
                TimeUnit.NANOSECONDS.sleep(Math.min(holdLeft, SAMPLE_EVERY.toNanos()));
                fullest = fullestQueues(stalled, fullest);
                holdLeft = stalledAt + o.slowHold().toNanos() - System.nanoTime();
            }
            Duration held = Duration.ofNanos(System.nanoTime() - stalledAt);
            stalled.forEach(ClientSocket::resumeReading);
            try (Progress progress = Progress.of(run.label(), () -> "stalled sockets read again: " + settled()
                    + " / " + stalledCount + " closed or caught up")) {
                Waits.until(this::settled, () -> stalledCount, o.stall());
            }
            StalledSockets outcome = new StalledSockets(stalledCount, held, closedBy(), caughtUp(),
                    fullest.clientReceive(), fullest.serverSend(), gapped(), stalledLedger.verdict());
            int open = client.closeAll(stalled, o.stall());
            if (open > 0) {
                problems.add(open + " stalled sockets did not close");
            }
            Throughput after = timed(warmup + 2 * measured, "none stalled again", sender);
            DeliveryLedger.Verdict verdict = ledger.verdict();
            return new Result(before.withChecks(verdict, problems.count()),
                    whileStalled.withChecks(verdict, problems.count()), after.withChecks(verdict, problems.count()),
                    outcome);
        } finally {
            // A socket that reads nothing would not read the server's answer to its close either.
            sockets.forEach(ClientSocket::resumeReading);
            int open = client.closeAll(sockets, o.stall());
            if (open > 0) {
                problems.add(open + " sockets did not close");
            }
        }
    }

    /** Posts messages {@code from..from+M} and measures their deliveries to the healthy members. */
    private Throughput timed(int from, String name, String sender) throws InterruptedException {
        Phase current = new Phase(from, from + measured, healthy);
        phase = current;
        Instant begun = Instant.now();
        CpuMeter cpu = CpuMeter.start(run);
        long start = System.nanoTime();
        int end = post(from, from + measured, sender, name, start + run.options().fanoutBudget().toNanos());
        long deliveries = (long) (end - from) * healthy;
        double serverMicros = cpu.serverMicrosPer(deliveries);
        double clientMicros = cpu.clientMicrosPer(deliveries);
        CpuMeter.Machine machine = cpu.machineSinceStart();
        run.phase(name, begun, Instant.now());
        double seconds = Math.max(1, current.lastDelivery.get() - start) / 1e9;
        return new Throughput(deliveries, deliveries / seconds, current.latency.summary(), ledger.verdict(),
                problems.count(), serverMicros, clientMicros, machine, Map.of());
    }

    /**
     * Posts messages {@code from} to {@code to} within the window, or until {@code deadline} ({@link System#nanoTime}),
     * and waits until the healthy members have them all.
     *
     * @return the number after the last message posted
     */
    private int post(int from, int to, String sender, String name, long deadline)
            throws InterruptedException {
        int message = from;
        long base = ledger.delivered();
        try (Progress progress = Progress.of(run.label(), () -> String.format("%s %,d / %,d healthy deliveries", name,
                ledger.delivered() - base, (long) (to - from) * healthy))) {
            for (; message < to && System.nanoTime() - deadline < 0; message++) {
                if (!window.tryAcquire(run.options().stall().toMillis(), TimeUnit.MILLISECONDS)) {
                    problems.add("the window did not move for " + run.options().stall() + ": deliveries are missing");
                    break;
                }
                Marker marker = new Marker(message, System.nanoTime());
                ledger.expect(healthy);
                if (stalledPhase(message)) {
                    stalledLedger.expect(stalledCount);
                }
                posted.set(message + 1);
                MessagePost.send(run.client(), sender, chatId, marker, textLength, "c" + message, problems)
                        .thenAccept(stored -> {
                            if (!stored) {
                                window.release();
                            }
                        });
            }
            if (!Waits.until(ledger::delivered, ledger::expected, run.options().stall())) {
                problems.add(name + ": healthy deliveries stopped short");
            }
        }
        return message;
    }

    /** The fullest client receive queue and server send queue among the stalled connections now, and so far. */
    private TcpQueues.Queues fullestQueues(List<ClientSocket> stalled, TcpQueues.Queues sofar) {
        List<InetSocketAddress> clients = stalled.stream().map(ClientSocket::localAddress).filter(Objects::nonNull)
                .toList();
        long receive = sofar.clientReceive();
        long send = sofar.serverSend();
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", run.server().port());
        for (TcpQueues.Queues queues : TcpQueues.read(server, clients).values()) {
            receive = Math.max(receive, queues.clientReceive());
            send = Math.max(send, queues.serverSend());
        }
        return new TcpQueues.Queues(receive, send);
    }

    /** Stalled sockets that are closed or have every message posted. */
    private long settled() {
        int settled = 0;
        for (int i = 0; i < stalledCount; i++) {
            if (closeCodes.get(i) != 0 || stalledReceived.get(i) >= stalledPosted()) {
                settled++;
            }
        }
        return settled;
    }

    private Map<Integer, Integer> closedBy() {
        Map<Integer, Integer> byCode = new TreeMap<>();
        for (int i = 0; i < stalledCount; i++) {
            if (closeCodes.get(i) != 0) {
                byCode.merge(closeCodes.get(i), 1, Integer::sum);
            }
        }
        return byCode;
    }

    /** Whether a message is of the phase the stalled sockets are online for. */
    private boolean stalledPhase(int message) {
        return message >= warmup + measured && message < warmup + 2 * measured;
    }

    /** Messages posted since the stalled sockets came online. */
    private int stalledPosted() {
        return Math.max(0, posted.get() - warmup - measured);
    }

    /**
     * Stalled sockets that got fewer messages than their seqs span: they missed one and went on. Seqs, not message
     * numbers: the window posts several messages at once, and the chat numbers them in the order they arrive.
     */
    private int gapped() {
        int gapped = 0;
        for (int i = 0; i < stalledCount; i++) {
            int received = stalledReceived.get(i);
            if (received > 0 && received < stalledHighest.get(i) - stalledLowest.get(i) + 1) {
                gapped++;
            }
        }
        return gapped;
    }

    private int caughtUp() {
        int caughtUp = 0;
        for (int i = 0; i < stalledCount; i++) {
            if (closeCodes.get(i) == 0 && stalledReceived.get(i) >= stalledPosted()) {
                caughtUp++;
            }
        }
        return caughtUp;
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
        int message = marker.message();
        long seq = FrameScanner.number(frame, "seq", -1);
        if (socket.index() >= healthy) {
            int stalled = socket.index() - healthy;
            if (stalledLedger.record(stalled, message, seq)) {
                stalledReceived.incrementAndGet(stalled);
                int at = (int) Math.min(Integer.MAX_VALUE, seq);
                stalledLowest.accumulateAndGet(stalled, at, (lowest, next) -> lowest == 0 ? next : Math.min(lowest,
                        next));
                stalledHighest.accumulateAndGet(stalled, at, Math::max);
            }
            return;
        }
        if (ledger.record(socket.index(), message, seq)) {
            Phase current = phase;
            if (current.measures(message)) {
                current.lastDelivery.accumulate(now);
                current.latency.record(now - marker.sentNanos());
            }
            if (completions.incrementAndGet(message) == healthy) {
                window.release();
            }
        }
    }

    @Override
    public void onClosed(ClientSocket socket, CloseStatus status, boolean expected) {
        if (expected) {
            return;
        }
        if (socket.index() >= healthy) {
            closeCodes.compareAndSet(socket.index() - healthy, 0, status.getCode());
        } else {
            problems.add("healthy socket " + socket.index() + " closed by the server: " + status);
        }
    }
}
