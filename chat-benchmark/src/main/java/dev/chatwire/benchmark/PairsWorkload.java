package dev.chatwire.benchmark;

import org.eclipse.jetty.websocket.core.CloseStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * Pairs: P direct chats of two users, one socket each. Every user sends K messages over its socket (the next one when
 * the previous one is acked), then K more through REST (at most R calls in flight overall). Measures sends per second
 * and the latency of the delivery to the other user; checks that both sockets of a chat got every message of the chat
 * once, in seq order.
 *
 * <p>Message {@code m} is sent in round {@code m / 2P} by socket {@code m % 2P}; sockets {@code 2j} and {@code 2j + 1}
 * are chat {@code j}.
 */
final class PairsWorkload implements ClientSocket.Listener {

    /**
     * What the pairs workload measured.
     *
     * @param socket sends over the socket
     * @param rest   sends through {@code POST /api/messages}
     */
    record Result(Throughput socket, Throughput rest) {
    }

    /** One phase: the rounds it sends, whether its sends are paced, and what it measured. */
    private static final class Phase {
        final int toRound;
        final boolean paced;
        final LatencyRecorder latency;
        final LongAccumulator lastDelivery = new LongAccumulator(Math::max, 0);

        Phase(int fromRound, int toRound, int sockets, boolean paced) {
            this.toRound = toRound;
            this.paced = paced;
            this.latency = new LatencyRecorder(Math.multiplyExact(sockets, toRound - fromRound));
        }
    }

    /**
     * The fastest a user sends in the socket warm-up: under Chatwire's command rate of 20 per second, so that any
     * number of warm-up sends leaves the user's full burst of 40 for the timed phase.
     */
    private static final long WARM_UP_SEND_INTERVAL_NANOS = 1_000_000_000L / 15;

    private static final int REST_WARMUP_ROUNDS = 5;

    private final Workload run;
    private final int sockets;
    private final DeliveryLedger ledger;
    private final Problems problems;
    private final AtomicLong sends = new AtomicLong();
    private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "pairs-pacer");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLongArray lastSendNanos;
    private final List<String> chatIds = new ArrayList<>();
    private List<ClientSocket> connected = List.of();
    private volatile Phase phase;

    private PairsWorkload(Workload run) {
        this.run = run;
        this.sockets = 2 * run.options().pairs();
        this.ledger = new DeliveryLedger(sockets, (socket, message) -> (message % sockets) / 2 == socket / 2);
        this.problems = new Problems(run.label());
        this.lastSendNanos = new AtomicLongArray(sockets);
    }

    /** Runs the workload. */
    static Result run(Workload run) throws Exception {
        return new PairsWorkload(run).execute();
    }

    private Result execute() throws Exception {
        BenchmarkOptions o = run.options();
        LoadClient client = run.client();
        List<String> users = new ArrayList<>(sockets);
        List<List<String>> chats = new ArrayList<>();
        for (int s = 0; s < sockets; s++) {
            users.add("pair-" + s);
            // Minted before the timed phases, which would otherwise count the signing.
            client.token(users.get(s));
        }
        for (int j = 0; j < o.pairs(); j++) {
            chats.add(List.of(users.get(2 * j), users.get(2 * j + 1)));
        }
        Progress.say(run.label(), "creating " + o.pairs() + " chats");
        chatIds.addAll(client.createChats(chats, o.restWindow()));
        AtomicLong ready = new AtomicLong();
        try (Progress progress = Progress.of(run.label(), () -> "connected " + ready.get() + " / " + sockets)) {
            connected = client.connectAll(0, users, this, o.connectConcurrency(), ready::set);
        }
        try {
            int w = o.pairWarmup();
            int k = o.pairMessages();
            // The REST path runs the engine's send path, warm from the socket phase: a few rounds warm the rest.
            int r = Math.min(w, REST_WARMUP_ROUNDS);
            socketPhase(0, w, "socket warm-up", true);
            Throughput overSocket = socketPhase(w, w + k, "socket", false);
            restPhase(w + k, w + k + r, users, "REST warm-up");
            Throughput overRest = restPhase(w + k + r, w + 2 * k + r, users, "REST");
            DeliveryLedger.Verdict verdict = ledger.verdict();
            return new Result(overSocket.withChecks(verdict, problems.count()),
                    overRest.withChecks(verdict, problems.count()));
        } finally {
            pacer.shutdownNow();
            int open = client.closeAll(connected, run.options().stall());
            if (open > 0) {
                problems.add(open + " sockets did not close");
            }
        }
    }

    /**
     * Each user sends rounds {@code from..to} over its socket, the next when the previous is acked (and, when
     * {@code paced}, no sooner than {@link #WARM_UP_SEND_INTERVAL_NANOS} after the previous).
     */
    private Throughput socketPhase(int from, int to, String what, boolean paced) throws InterruptedException {
        Phase current = new Phase(from, to, sockets, paced);
        phase = current;
        long goal = ledger.delivered() + 2L * sockets * (to - from);
        CpuMeter cpu = CpuMeter.start(run);
        Instant begun = Instant.now();
        long start = System.nanoTime();
        if (from < to) {
            try (Progress progress = progressOf(what, goal)) {
                for (int s = 0; s < sockets; s++) {
                    sendOverSocket(s, from);
                }
                if (!Waits.until(ledger::delivered, () -> goal, run.options().stall())) {
                    problems.add(what + " sends stalled");
                }
            }
        }
        run.phase(what, begun, Instant.now());
        return measured(current, start, (long) sockets * (to - from), cpu);
    }

    private void sendOverSocket(int socket, int round) {
        int message = round * sockets + socket;
        Marker marker = new Marker(message, System.nanoTime());
        String frame = "{\"type\":\"send\",\"chatId\":\"" + chatIds.get(socket / 2) + "\",\"text\":\""
                + marker.text(run.options().textLength()) + "\",\"clientMessageId\":\"c" + message + "\"}";
        ledger.expect(2);
        sends.incrementAndGet();
        lastSendNanos.set(socket, marker.sentNanos());
        if (!connected.get(socket).send(frame)) {
            problems.add("socket " + socket + " is closed; could not send");
        }
    }

    private Throughput measured(Phase current, long start, long sent, CpuMeter cpu) {
        double seconds = Math.max(1, current.lastDelivery.get() - start) / 1e9;
        return new Throughput(sent, sent / seconds, current.latency.summary(), ledger.verdict(), problems.count(),
                cpu.serverMicrosPer(sent), cpu.clientMicrosPer(sent), cpu.machineSinceStart(),
                cpu.backendFigures(sent, "send"));
    }

    /** Sends rounds {@code from..to} through REST, round by round, at most R calls in flight. */
    private Throughput restPhase(int from, int to, List<String> users, String what) throws InterruptedException {
        Phase current = new Phase(from, to, sockets, false);
        phase = current;
        long goal = ledger.delivered() + 2L * sockets * (to - from);
        Semaphore window = new Semaphore(run.options().restWindow());
        CpuMeter cpu = CpuMeter.start(run);
        Instant begun = Instant.now();
        long start = System.nanoTime();
        try (Progress progress = progressOf(what, goal)) {
            for (int round = from; round < to; round++) {
                for (int s = 0; s < sockets; s++) {
                    window.acquire();
                    int message = round * sockets + s;
                    Marker marker = new Marker(message, System.nanoTime());
                    ledger.expect(2);
                    sends.incrementAndGet();
                    MessagePost.send(run.client(), users.get(s), chatIds.get(s / 2), marker,
                            run.options().textLength(), "c" + message, problems)
                            .thenAccept(stored -> window.release());
                }
            }
            if (!Waits.until(ledger::delivered, () -> goal, run.options().stall())) {
                problems.add(what + " sends stalled");
            }
        }
        run.phase(what, begun, Instant.now());
        return measured(current, start, (long) sockets * (to - from), cpu);
    }

    private Progress progressOf(String what, long goal) {
        long base = ledger.delivered();
        return Progress.of(run.label(), () -> String.format("%s %,d / %,d deliveries", what,
                ledger.delivered() - base, goal - base));
    }

    @Override
    public void onFrame(ClientSocket socket, String type, String frame) {
        switch (type) {
            case "new_message" -> delivered(socket, frame);
            case "ack" -> acked(socket, frame);
            case "error" -> problems.add("error frame: " + frame);
            default -> { }
        }
    }

    private void acked(ClientSocket socket, String frame) {
        String clientMessageId = FrameScanner.string(frame, "clientMessageId", 0);
        Phase current = phase;
        if (clientMessageId == null || !clientMessageId.startsWith("c")) {
            problems.add("an ack without our clientMessageId: " + frame);
            return;
        }
        int message = Integer.parseInt(clientMessageId, 1, clientMessageId.length(), 10);
        int next = message / sockets + 1;
        if (message % sockets != socket.index()) {
            problems.add("socket " + socket.index() + " got the ack of message " + message);
        } else if (next < current.toRound) {
            long wait = current.paced
                    ? lastSendNanos.get(socket.index()) + WARM_UP_SEND_INTERVAL_NANOS - System.nanoTime() : 0;
            if (wait > 0) {
                pacer.schedule(() -> sendOverSocket(socket.index(), next), wait, TimeUnit.NANOSECONDS);
            } else {
                sendOverSocket(socket.index(), next);
            }
        }
    }

    private void delivered(ClientSocket socket, String frame) {
        long now = System.nanoTime();
        Marker marker = Marker.ofNewMessage(frame, problems);
        if (marker == null) {
            return;
        }
        int message = marker.message();
        if (ledger.record(socket.index(), message, FrameScanner.number(frame, "seq", -1))) {
            Phase current = phase;
            current.lastDelivery.accumulate(now);
            if (message % sockets != socket.index()) {
                current.latency.record(now - marker.sentNanos());
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
