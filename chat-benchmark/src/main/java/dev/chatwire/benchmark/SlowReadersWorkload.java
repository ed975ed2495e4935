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
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

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
 * must get the second phase's messages once, in order, with no seq gap, up to where the server gave up on it (what it
 * dropped then counts as lost, which is no failure).
 *
 * <p>Healthy sockets are numbered {@code 0..N-S-1}, stalled ones {@code N-S..N-1}.
 */
final class SlowReadersWorkload extends FanOutWorkload {

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

    static Measured run(Workload run) throws Exception {
        Options o = run.options();
        int stalled = o.integer("slow-stalled");
        int measured = o.integer("slow-messages");
        int warmup = o.integer("fanout-warmup");
        Shape shape = new Shape("slow-", o.integer("slow-members") - stalled, 1, warmup, warmup + 3 * measured,
                o.integer("fanout-window"), o.seconds("fanout-seconds"), o.integer("slow-text"));
        return new SlowReadersWorkload(run, shape, stalled, measured).execute(o.seconds("slow-hold-seconds"));
    }

    private Measured execute(Duration hold) throws Exception {
        int healthy = shape.members();
        List<String> users = users("slow-", healthy + stalledCount);
        // The stalled members are in the chat from the start, offline until the second phase.
        List<ClientSocket> sockets = new ArrayList<>(connectAndCreateChat(users));
        try {
            int first = shape.warmup();
            post(0, first, "warm-up", Duration.ofDays(1));
            Map<String, Double> before = timed(first, first + measured, "none stalled");
            // Online, a member's socket is in the chat from the seq its connected frame names: the second phase's.
            List<ClientSocket> stalled = connect(healthy, users.subList(healthy, users.size()), true);
            sockets.addAll(stalled);
            stalled.forEach(ClientSocket::stopReading);
            long stalledAt = System.nanoTime();
            Map<String, Double> whileStalled = timed(first + measured, first + 2 * measured, stalledCount + " stalled");
            long holdLeft = stalledAt + hold.toNanos() - System.nanoTime();
            if (holdLeft > 0) {
                progress.say(String.format("holding the stalled sockets %.1f s more", holdLeft / 1e9));
                TimeUnit.NANOSECONDS.sleep(holdLeft);
            }
            double heldSeconds = (System.nanoTime() - stalledAt) / 1e9;
            int behind = count(i -> stalledReceived.get(i) < stalledPosted());
            stalled.forEach(ClientSocket::resumeReading);
            try (Progress.Ticker ticker = progress.ticking(() -> "stalled sockets read again: " + settled() + " / "
                    + stalledCount + " closed or caught up")) {
                Progress.until(this::settled, () -> stalledCount, options.seconds("stall-seconds"));
            }
            Map<Integer, Long> closedBy = IntStream.range(0, stalledCount).map(closeCodes::get)
                    .filter(code -> code != 0).boxed()
                    .collect(Collectors.groupingBy(code -> code, TreeMap::new, Collectors.counting()));
            long closed4408 = closedBy.getOrDefault(4408, 0L);
            long closed = closedBy.values().stream().mapToLong(Long::longValue).sum();
            int caughtUp = count(i -> closeCodes.get(i) == 0 && stalledReceived.get(i) >= stalledPosted());
            DeliveryLedger.Verdict verdict = stalledLedger.verdict();
            close(stalled);
            Map<String, Double> after = timed(first + 2 * measured, first + 3 * measured, "none stalled again");

            Map<String, Double> figures = new LinkedHashMap<>();
            for (String key : List.of("deliveries_per_s", "p99_ms", "server_cpu_us_per_delivery")) {
                figures.put(key + "_alone", (before.get(key) + after.get(key)) / 2);
                figures.put(key + "_stalled", whileStalled.get(key));
            }
            figures.put("deliveries_ratio", whileStalled.get("deliveries_per_s")
                    / figures.get("deliveries_per_s_alone"));
            figures.put("p99_ratio", whileStalled.get("p99_ms") / figures.get("p99_ms_alone"));
            figures.put("stalled_closed_4408", (double) closed4408);
            figures.put("stalled_closed_other", (double) (closed - closed4408));
            figures.put("stalled_caught_up", (double) caughtUp);
            figures.put("stalled_left_open", (double) (stalledCount - closed - caughtUp));
            figures.put("stalled_behind_when_reading_again", (double) behind);
            for (String key : List.of("other_cpu_percent", "steal_percent")) {
                figures.put(key, Math.max(whileStalled.get(key), after.get(key)));
            }
            Measured healthyOnes = measured("slow", "deliveries_per_s_stalled", figures);
            // A seq gap at a stalled socket is a skipped message; a loss is only where the server gave up on it.
            boolean stalledCorrect = verdict.seqGaps() == 0 && verdict.duplicates() == 0 && verdict.misrouted() == 0
                    && verdict.outOfOrder() == 0;
            return new Measured("slow", "deliveries_per_s_stalled", figures, healthyOnes.correct() && stalledCorrect,
                    String.format("healthy: %s; stalled: %d held %.1f s without reading (%d behind), then %d closed "
                                    + "by the server %s, %d open and caught up, %d neither; %s",
                            healthyOnes.checks(), stalledCount, heldSeconds, behind, closed, closedBy, caughtUp,
                            stalledCount - closed - caughtUp, verdict.describe()));
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

    private int count(IntPredicate stalledSocket) {
        return (int) IntStream.range(0, stalledCount).filter(stalledSocket).count();
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
