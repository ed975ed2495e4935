package dev.chatwire.benchmark;

import org.eclipse.jetty.websocket.core.CloseStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Slow readers: what sockets that stop reading cost the others. A fan-out to one chat of N members, member 0 posting
 * M messages through REST, three times on the same server: to the N - S healthy members alone (the other S are
 * members but offline), then after the S came online and stopped reading (their client reads nothing more, so their
 * small TCP receive buffers fill and the server's writes to them back up), then alone again once the S are gone.
 * The healthy members' deliveries per second and latency in the stalled phase over the mean of the two others is
 * what the stalled sockets cost them, with whatever drifts through a run on both sides of the ratio.
 *
 * <p>The stalled sockets stay stalled for at least the hold, longer than Chatwire's 10 s send timeout; then they read
 * again, and the workload records what the server did with them: closed them (by which close code), or kept them and
 * delivered everything once they read. Every healthy member must get every message once, in order; a stalled one
 * must get the second phase's messages once, in order, with no seq gap, up to where the server gave up on it.
 *
 * <p>Healthy sockets are numbered {@code 0..N-S-1}, stalled ones {@code N-S..N-1}.
 */
final class SlowReadersWorkload extends FanOutWorkload {

    /**
     * What the workload measured.
     *
     * @param before  deliveries to the healthy members before the S others came online
     * @param stalled deliveries to the healthy members while the S others were online and did not read
     * @param after   deliveries to the healthy members once the S others were gone again
     * @param sockets what became of the stalled sockets
     */
    record Result(Map<String, Double> before, Map<String, Double> stalled, Map<String, Double> after,
                  Measured healthy, StalledSockets sockets) {

        /** Whether every healthy delivery was right, nothing failed, and no stalled socket got a message wrong. */
        boolean correct() {
            return healthy.correct() && sockets.correct();
        }

        /** The report's figures; {@code _alone} is the mean of the phases before and after. */
        Map<String, Double> figures() {
            Map<String, Double> figures = new LinkedHashMap<>();
            for (String key : List.of("deliveries_per_s", "p99_ms", "server_cpu_us_per_delivery")) {
                figures.put(key + "_alone", (before.get(key) + after.get(key)) / 2);
                figures.put(key + "_stalled", stalled.get(key));
            }
            figures.put("deliveries_ratio", stalled.get("deliveries_per_s") / figures.get("deliveries_per_s_alone"));
            figures.put("p99_ratio", stalled.get("p99_ms") / figures.get("p99_ms_alone"));
            figures.put("stalled_closed_4408", (double) sockets.closedWith(4408));
            figures.put("stalled_closed_other", (double) (sockets.closed() - sockets.closedWith(4408)));
            figures.put("stalled_caught_up", (double) sockets.caughtUp());
            figures.put("stalled_left_open", (double) sockets.leftOpen());
            figures.put("stalled_behind_when_reading_again", (double) sockets.behind());
            figures.put("other_cpu_percent", Math.max(stalled.get("other_cpu_percent"),
                    after.get("other_cpu_percent")));
            figures.put("steal_percent", Math.max(stalled.get("steal_percent"), after.get("steal_percent")));
            return figures;
        }

        /** What the delivery checks found, in one line. */
        String checks() {
            return "healthy: " + healthy.checks() + "; stalled: " + sockets.describe();
        }
    }

    /**
     * What became of the stalled sockets.
     *
     * @param count    how many stopped reading
     * @param held     how long they were stalled before they read again
     * @param behind   how many had not received every message posted when they read again: they really stalled
     * @param closedBy how many the server had closed, by close code, as they found once they read again
     * @param caughtUp how many were open and, once they read again, got every message
     * @param verdict  deliveries to them; what the server dropped when it gave up on one counts as lost, which is no
     *                 failure, unlike a seq gap, a duplicate or a reordering
     */
    record StalledSockets(int count, Duration held, int behind, Map<Integer, Integer> closedBy, int caughtUp,
                          DeliveryLedger.Verdict verdict) {

        int closed() {
            return closedBy.values().stream().mapToInt(Integer::intValue).sum();
        }

        int closedWith(int code) {
            return closedBy.getOrDefault(code, 0);
        }

        /** How many neither closed nor caught up before the wait gave up. */
        int leftOpen() {
            return count - closed() - caughtUp;
        }

        boolean correct() {
            return verdict.seqGaps() == 0 && verdict.duplicates() == 0 && verdict.misrouted() == 0
                    && verdict.outOfOrder() == 0;
        }

        String describe() {
            return String.format("%d held %.1f s without reading (%d behind), then %d closed by the server %s, %d "
                    + "open and caught up, %d neither; %s", count, held.toMillis() / 1000.0, behind, closed(),
                    closedBy, caughtUp, leftOpen(), verdict.describe());
        }
    }

    private final int stalledCount;
    private final int measured;
    private final DeliveryLedger stalledLedger;
    private final AtomicIntegerArray stalledReceived;
    private final AtomicIntegerArray closeCodes;
    private final AtomicInteger posted = new AtomicInteger();

    private SlowReadersWorkload(Workload run, Shape shape, int stalledCount, int measured) {
        super(run, shape);
        this.stalledCount = stalledCount;
        this.measured = measured;
        this.stalledLedger = new DeliveryLedger(stalledCount, (socket, message) -> stalledPhase(message));
        this.stalledReceived = new AtomicIntegerArray(stalledCount);
        this.closeCodes = new AtomicIntegerArray(stalledCount);
    }

    /** Runs the workload with the options' sizes. */
    static Result run(Workload run) throws Exception {
        Options o = run.options();
        int stalled = o.integer("slow-stalled");
        int measured = o.integer("slow-messages");
        int warmup = o.integer("fanout-warmup");
        Shape shape = new Shape("slow-", o.integer("slow-members") - stalled, 1, warmup, warmup + 3 * measured,
                o.integer("fanout-window"), o.seconds("fanout-seconds"), o.integer("slow-text"));
        return new SlowReadersWorkload(run, shape, stalled, measured).execute(o.seconds("slow-hold-seconds"));
    }

    private Result execute(Duration hold) throws Exception {
        int healthy = shape.members();
        List<String> users = users("slow-", healthy + stalledCount);
        // The stalled members are in the chat from the start, offline until the second phase.
        List<ClientSocket> sockets = new ArrayList<>(connectAndCreateChat(users));
        try {
            int first = shape.warmup();
            post(0, first, "warm-up", Duration.ofDays(1));
            Map<String, Double> before = timed(first, first + measured, "none stalled");
            // Online, a member's socket is in the chat from the seq its connected frame names: the second phase's.
            List<ClientSocket> stalled = connect(healthy, users.subList(healthy, users.size()),
                    true);
            sockets.addAll(stalled);
            stalled.forEach(ClientSocket::stopReading);
            long stalledAt = System.nanoTime();
            Map<String, Double> whileStalled = timed(first + measured, first + 2 * measured, stalledCount + " stalled");
            long holdLeft = stalledAt + hold.toNanos() - System.nanoTime();
            if (holdLeft > 0) {
                Progress.say(run.label(), String.format("holding the stalled sockets %.1f s more", holdLeft / 1e9));
                TimeUnit.NANOSECONDS.sleep(holdLeft);
            }
            Duration held = Duration.ofNanos(System.nanoTime() - stalledAt);
            int behind = count(i -> stalledReceived.get(i) < stalledPosted());
            stalled.forEach(ClientSocket::resumeReading);
            try (Progress progress = Progress.of(run.label(), () -> "stalled sockets read again: " + settled()
                    + " / " + stalledCount + " closed or caught up")) {
                Waits.until(this::settled, () -> stalledCount, run.options().seconds("stall-seconds"));
            }
            Map<Integer, Integer> closedBy = new TreeMap<>();
            for (int i = 0; i < stalledCount; i++) {
                if (closeCodes.get(i) != 0) {
                    closedBy.merge(closeCodes.get(i), 1, Integer::sum);
                }
            }
            StalledSockets outcome = new StalledSockets(stalledCount, held, behind, closedBy,
                    count(i -> closeCodes.get(i) == 0 && stalledReceived.get(i) >= stalledPosted()),
                    stalledLedger.verdict());
            close(stalled);
            Map<String, Double> after = timed(first + 2 * measured, first + 3 * measured, "none stalled again");
            return new Result(before, whileStalled, after, Measured.of("slow", "deliveries_per_s_stalled", after,
                    ledger.verdict(), problems.count()), outcome);
        } finally {
            // A socket that reads nothing would not read the server's answer to its close either.
            sockets.forEach(ClientSocket::resumeReading);
            close(sockets);
        }
    }

    @Override
    void expect(int message) {
        super.expect(message);
        if (stalledPhase(message)) {
            stalledLedger.expect(stalledCount);
        }
        posted.accumulateAndGet(message + 1, Math::max);
    }

    /** Whether a message is of the phase the stalled sockets are online for. */
    private boolean stalledPhase(int message) {
        return message >= shape.warmup() + measured && message < shape.warmup() + 2 * measured;
    }

    /** Messages posted since the stalled sockets came online. */
    private int stalledPosted() {
        return Math.max(0, Math.min(posted.get(), shape.warmup() + 2 * measured) - shape.warmup() - measured);
    }

    /** Stalled sockets that are closed or have every message posted to them. */
    private long settled() {
        return count(i -> closeCodes.get(i) != 0 || stalledReceived.get(i) >= stalledPosted());
    }

    private int count(java.util.function.IntPredicate stalledSocket) {
        int count = 0;
        for (int i = 0; i < stalledCount; i++) {
            if (stalledSocket.test(i)) {
                count++;
            }
        }
        return count;
    }

    @Override
    void delivered(ClientSocket socket, Marker marker, long seq, long nanos) {
        int stalled = socket.index() - shape.members();
        if (stalled < 0) {
            super.delivered(socket, marker, seq, nanos);
        } else if (stalledLedger.record(stalled, marker.message(), seq)) {
            stalledReceived.incrementAndGet(stalled);
        }
    }

    @Override
    public void onClosed(ClientSocket socket, CloseStatus status, boolean expected) {
        int stalled = socket.index() - shape.members();
        if (stalled >= 0 && !expected) {
            closeCodes.compareAndSet(stalled, 0, status.getCode());
        } else {
            super.onClosed(socket, status, expected);
        }
    }
}
