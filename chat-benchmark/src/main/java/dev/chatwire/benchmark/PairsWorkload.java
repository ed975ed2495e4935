package dev.chatwire.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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

    private final int sockets;
    private final AtomicLongArray lastSendNanos;
    private final List<String> chatIds = new ArrayList<>();
    private List<ClientSocket> connected = List.of();
    private volatile TimedPhase phase;
    private volatile int phaseEnd;
    private volatile boolean paced;

    private PairsWorkload(Workload run, int sockets) {
        super(run, sockets, (socket, message) -> (message % sockets) / 2 == socket / 2);
        this.sockets = sockets;
        this.lastSendNanos = new AtomicLongArray(sockets);
    }

    /** Runs the workload with the bare comparison's sizes, or with the deployed configuration's. */
    static List<Measured> run(Workload run, boolean deployed) throws Exception {
        Options o = run.options();
        String size = deployed ? "backend-" : "";
        return new PairsWorkload(run, 2 * o.integer(size + "pairs")).execute(o.integer(size + "pair-warmup"),
                o.integer(size + "pair-messages"));
    }

    private List<Measured> execute(int w, int k) throws Exception {
        List<String> users = users("pair-", sockets);
        chatIds.addAll(createChats(users, 2));
        connected = connect(0, users, false);
        try {
            int r = Math.min(w, REST_WARMUP_ROUNDS);
            socketPhase(0, w, "socket warm-up", true);
            Map<String, Double> overSocket = socketPhase(w, w + k, "socket", false);
            restPhase(w + k, w + k + r, users, "REST warm-up");
            Map<String, Double> overRest = restPhase(w + k + r, w + 2 * k + r, users, "REST");
            return List.of(measured("pairs-socket", "sends_per_s", overSocket),
                    measured("pairs-rest", "sends_per_s", overRest));
        } finally {
            close(connected);
        }
    }

    /** Starts timing rounds {@code from..to}, whose sends each deliver to both sockets of their chat. */
    private void begin(int from, int to, boolean pacedSends) {
        phase = new TimedPhase(run);
        phaseEnd = to;
        paced = pacedSends;
    }

    private Map<String, Double> end(String what, int rounds) throws InterruptedException {
        awaitDeliveries(what);
        long sent = (long) sockets * rounds;
        Map<String, Double> figures = phase.figures("sends_per_s", sent, "send");
        figures.putAll(phase.backendFigures(sent, "send"));
        return figures;
    }

    /**
     * Each user sends rounds {@code from..to} over its socket, the next when the previous is acked (and, when
     * {@code pacedSends}, no sooner than {@link #WARM_UP_SEND_INTERVAL_NANOS} after the previous).
     */
    private Map<String, Double> socketPhase(int from, int to, String what, boolean pacedSends)
            throws InterruptedException {
        begin(from, to, pacedSends);
        // Declared up front, so that the wait cannot end between a delivery and the next send.
        ledger.expect(2L * sockets * (to - from));
        for (int s = 0; s < sockets && from < to; s++) {
            sendOverSocket(s, from);
        }
        return end(what, to - from);
    }

    private void sendOverSocket(int socket, int round) {
        int message = round * sockets + socket;
        Marker marker = new Marker(message, System.nanoTime());
        String frame = "{\"type\":\"send\",\"chatId\":\"" + chatIds.get(socket / 2) + "\",\"text\":\""
                + marker.text(options.integer("text-length")) + "\",\"clientMessageId\":\"c" + message + "\"}";
        lastSendNanos.set(socket, marker.sentNanos());
        if (!connected.get(socket).send(frame)) {
            progress.problem("socket " + socket + " is closed; could not send");
        }
    }

    /** Sends rounds {@code from..to} through REST, round by round, at most R calls in flight. */
    private Map<String, Double> restPhase(int from, int to, List<String> users, String what)
            throws InterruptedException {
        begin(from, to, false);
        ledger.expect(2L * sockets * (to - from));
        postAll(from * sockets, to * sockets, message -> users.get(message % sockets),
                message -> chatIds.get(message % sockets / 2), "c");
        return end(what, to - from);
    }

    @Override
    void acked(ClientSocket socket, String frame) {
        String clientMessageId = FrameScanner.string(frame, "clientMessageId", 0);
        if (clientMessageId == null || !clientMessageId.startsWith("c")) {
            progress.problem("an ack without our clientMessageId: " + frame);
            return;
        }
        int message = Integer.parseInt(clientMessageId, 1, clientMessageId.length(), 10);
        int next = message / sockets + 1;
        if (message % sockets != socket.index()) {
            progress.problem("socket " + socket.index() + " got the ack of message " + message);
        } else if (next < phaseEnd) {
            long wait = paced ? lastSendNanos.get(socket.index()) + WARM_UP_SEND_INTERVAL_NANOS - System.nanoTime() : 0;
            if (wait > 0) {
                CompletableFuture.delayedExecutor(wait, TimeUnit.NANOSECONDS)
                        .execute(() -> sendOverSocket(socket.index(), next));
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
