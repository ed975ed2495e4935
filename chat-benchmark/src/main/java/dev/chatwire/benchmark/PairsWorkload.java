package dev.chatwire.benchmark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Pairs: P direct chats of two users, one socket each. Every user sends K messages over its socket (the next one when
 * the previous one is acked), then K more through REST (at most R calls in flight overall). Measures sends per second
 * and the latency of the delivery to the other user; checks that both sockets of a chat got every message of the chat
 * once, in seq order.
 *
 * <p>Message {@code m} is sent in round {@code m / 2P} by socket {@code m % 2P}; sockets {@code 2j} and {@code 2j + 1}
 * are chat {@code j}.
 */
final class PairsWorkload extends ChatWorkload {

    /**
     * The fastest a user sends in the socket warm-up: under Chatwire's command rate of 20 per second, so that any
     * number of warm-up sends leaves the user's full burst of 40 for the timed phase.
     */
    private static final long WARM_UP_SEND_INTERVAL_NANOS = 1_000_000_000L / 15;
    /** The REST path runs the engine's send path, warm from the socket phase: a few rounds warm the rest. */
    private static final int REST_WARMUP_ROUNDS = 5;

    private final int pairs;
    private final int sockets;
    private final DeliveryLedger ledger;
    private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "pairs-pacer");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLongArray lastSendNanos;
    private final List<String> chatIds = new ArrayList<>();
    private List<ClientSocket> connected = List.of();
    private volatile TimedPhase phase;
    private volatile int phaseEnd;
    private volatile boolean paced;

    private PairsWorkload(Workload run, int pairs) {
        super(run);
        this.pairs = pairs;
        this.sockets = 2 * pairs;
        this.ledger = new DeliveryLedger(sockets, (socket, message) -> (message % sockets) / 2 == socket / 2);
        this.lastSendNanos = new AtomicLongArray(sockets);
    }

    /** Runs the workload with the bare comparison's sizes, or with the deployed configuration's. */
    static List<Measured> run(Workload run, boolean backends) throws Exception {
        Options o = run.options();
        String size = backends ? "backend-" : "";
        return new PairsWorkload(run, o.integer(size + "pairs")).execute(o.integer(size + "pair-warmup"),
                o.integer(size + "pair-messages"));
    }

    private List<Measured> execute(int warmup, int messages) throws Exception {
        List<String> users = users("pair-", sockets);
        chatIds.addAll(createChats(users, 2));
        connected = connect(0, users, false);
        try {
            int w = warmup;
            int k = messages;
            int r = Math.min(w, REST_WARMUP_ROUNDS);
            socketPhase(0, w, "socket warm-up", true);
            Map<String, Double> overSocket = socketPhase(w, w + k, "socket", false);
            restPhase(w + k, w + k + r, users, "REST warm-up");
            Map<String, Double> overRest = restPhase(w + k + r, w + 2 * k + r, users, "REST");
            return List.of(Measured.of("pairs-socket", "sends_per_s", overSocket, ledger.verdict(), problems.count()),
                    Measured.of("pairs-rest", "sends_per_s", overRest, ledger.verdict(), problems.count()));
        } finally {
            pacer.shutdownNow();
            close(connected);
        }
    }

    /** Starts a phase of rounds {@code from..to}; returns the ledger's delivery count to wait for. */
    private long begin(int from, int to, boolean pacedSends) {
        phase = new TimedPhase(run, (long) sockets * (to - from));
        phaseEnd = to;
        paced = pacedSends;
        return ledger.delivered() + 2L * sockets * (to - from);
    }

    private Map<String, Double> end(String what, long goal, int rounds) throws InterruptedException {
        long base = goal - 2L * sockets * rounds;
        try (Progress progress = Progress.of(run.label(), () -> String.format("%s %,d / %,d deliveries", what,
                ledger.delivered() - base, goal - base))) {
            await(what + " deliveries", ledger::delivered, () -> goal);
        }
        long sent = (long) sockets * rounds;
        Map<String, Double> figures = new LinkedHashMap<>(phase.figures("sends_per_s", sent, "send"));
        figures.putAll(phase.backendFigures(sent, "send"));
        return figures;
    }

    /**
     * Each user sends rounds {@code from..to} over its socket, the next when the previous is acked (and, when
     * {@code pacedSends}, no sooner than {@link #WARM_UP_SEND_INTERVAL_NANOS} after the previous).
     */
    private Map<String, Double> socketPhase(int from, int to, String what, boolean pacedSends)
            throws InterruptedException {
        long goal = begin(from, to, pacedSends);
        if (from < to) {
            for (int s = 0; s < sockets; s++) {
                sendOverSocket(s, from);
            }
        }
        return end(what, goal, to - from);
    }

    private void sendOverSocket(int socket, int round) {
        int message = round * sockets + socket;
        Marker marker = new Marker(message, System.nanoTime());
        String frame = "{\"type\":\"send\",\"chatId\":\"" + chatIds.get(socket / 2) + "\",\"text\":\""
                + marker.text(run.options().integer("text-length")) + "\",\"clientMessageId\":\"c" + message + "\"}";
        ledger.expect(2);
        lastSendNanos.set(socket, marker.sentNanos());
        if (!connected.get(socket).send(frame)) {
            problems.add("socket " + socket + " is closed; could not send");
        }
    }

    /** Sends rounds {@code from..to} through REST, round by round, at most R calls in flight. */
    private Map<String, Double> restPhase(int from, int to, List<String> users, String what)
            throws InterruptedException {
        long goal = begin(from, to, false);
        ledger.expect(2L * sockets * (to - from));
        postAll(from * sockets, to * sockets, message -> users.get(message % sockets),
                message -> chatIds.get(message % sockets / 2), "c");
        return end(what, goal, to - from);
    }

    @Override
    void acked(ClientSocket socket, String frame) {
        String clientMessageId = FrameScanner.string(frame, "clientMessageId", 0);
        if (clientMessageId == null || !clientMessageId.startsWith("c")) {
            problems.add("an ack without our clientMessageId: " + frame);
            return;
        }
        int message = Integer.parseInt(clientMessageId, 1, clientMessageId.length(), 10);
        int next = message / sockets + 1;
        if (message % sockets != socket.index()) {
            problems.add("socket " + socket.index() + " got the ack of message " + message);
        } else if (next < phaseEnd) {
            long wait = paced ? lastSendNanos.get(socket.index()) + WARM_UP_SEND_INTERVAL_NANOS - System.nanoTime() : 0;
            if (wait > 0) {
                pacer.schedule(() -> sendOverSocket(socket.index(), next), wait, TimeUnit.NANOSECONDS);
            } else {
                sendOverSocket(socket.index(), next);
            }
        }
    }

    @Override
    void delivered(ClientSocket socket, Marker marker, long seq, long nanos) {
        if (ledger.record(socket.index(), marker.message(), seq) && marker.message() % sockets != socket.index()) {
            phase.arrived(nanos, marker.sentNanos());
        }
    }
}
