package dev.chatwire.benchmark;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * One chat of N members with one socket each, written through REST as fast as the server takes it, with at most W
 * messages posted but not yet delivered to every member. Measures deliveries per second, the latency of each delivery
 * and of each post's answer, and checks that every member got every message once, in seq order. Two shapes: fan-out
 * (1,000 members, member 0 posts, 8 in flight: the cost of a delivery) and the hot chat (20 members who all post, 50
 * in flight: the cost of a message, and of the store's per-chat ordering).
 */
class FanOutWorkload extends ChatWorkload {

    /**
     * The size of a run.
     *
     * @param userPrefix the prefix of the members' user names
     * @param members    the members online, one socket each, whose deliveries are timed and checked
     * @param senders    how many members post, in turn (member 0 alone in fan-out)
     * @param total      messages posted in all, warm-up included
     * @param budget     the longest a timed phase may post for: on a slow machine fewer messages go
     */
    record Shape(String userPrefix, int members, int senders, int warmup, int total, int window, Duration budget,
                 int textLength) {
    }

    final Shape shape;
    private final AtomicIntegerArray completions;
    private final Semaphore window;
    private volatile Histogram postMicros = new ConcurrentHistogram(3);
    private volatile TimedPhase timed;
    private volatile int timedFrom;
    private volatile int timedTo;
    private volatile String chatId;

    FanOutWorkload(Workload run, Shape shape) {
        super(run, shape.members(), (socket, message) -> message < shape.total());
        this.shape = shape;
        this.completions = new AtomicIntegerArray(shape.total());
        this.window = new Semaphore(shape.window());
    }

    /** Fan-out with the bare comparison's sizes, or with the deployed configuration's. */
    static Measured fanOut(Workload run, boolean deployed) throws Exception {
        Options o = run.options();
        String size = deployed ? "backend-fanout-" : "fanout-";
        int warmup = o.integer("fanout-warmup");
        return new FanOutWorkload(run, new Shape("fan-", o.integer(size + "members"), 1, warmup,
                warmup + o.integer(size + "messages"), o.integer("fanout-window"), o.seconds("fanout-seconds"),
                o.integer("text-length"))).execute("fanout", "deliveries_per_s");
    }

    static Measured hotChat(Workload run) throws Exception {
        Options o = run.options();
        int warmup = o.integer("hot-warmup");
        return new FanOutWorkload(run, new Shape("hot-", o.integer("hot-members"), o.integer("hot-members"), warmup,
                warmup + o.integer("hot-messages"), o.integer("hot-window"), o.seconds("fanout-seconds"),
                o.integer("text-length"))).execute("hotchat", "messages_per_s");
    }

    /** Connects the members, creates the chat, posts the warm-up, then the timed messages. */
    Measured execute(String workload, String rateKey) throws Exception {
        List<ClientSocket> sockets = connectAndCreateChat(users(shape.userPrefix(), shape.members()));
        try {
            post(0, shape.warmup(), "warm-up", Duration.ofDays(1));
            return measured(workload, rateKey, timed(shape.warmup(), shape.total(), "timed"));
        } finally {
            close(sockets);
        }
    }

    /**
     * Connects the online members, then creates the chat of {@code participants} (the online members first), so
     * that no presence storm precedes the run, and waits until the online members joined it.
     */
    List<ClientSocket> connectAndCreateChat(List<String> participants) throws Exception {
        int members = shape.members();
        List<ClientSocket> sockets = connect(0, participants.subList(0, members), false);
        chatId = createChats(participants, participants.size()).get(0);
        if (!await("joining the chat", joined::get, () -> members)) {
            close(sockets);
            throw new IllegalStateException("only " + joined.get() + " of " + members + " sockets joined");
        }
        return sockets;
    }

    /**
     * Posts messages {@code from..to} as a timed phase and measures their deliveries to the online members: per
     * second, latency, the latency of each post's answer, and CPU per delivery and per message.
     */
    Map<String, Double> timed(int from, int to, String name) throws InterruptedException {
        postMicros = new ConcurrentHistogram(3);
        timedFrom = from;
        timedTo = to;
        timed = new TimedPhase(run);
        long messages = post(from, to, name, shape.budget()) - from;
        Map<String, Double> figures = timed.figures("deliveries_per_s", messages * shape.members(), "delivery");
        figures.put("messages_per_s", messages / timed.seconds());
        TimedPhase.putPercentiles(figures, postMicros, "post_");
        figures.putAll(timed.backendFigures(messages, "message"));
        figures.put("server_cpu_us_per_message", figures.get("server_cpu_us_per_delivery") * shape.members());
        return figures;
    }

    /** A message is about to be posted: the ledger expects it at every online member. */
    void expect(int message) {
        ledger.expect(shape.members());
    }

    /**
     * Posts messages {@code from} to {@code to} within the window, for at most {@code budget}, and waits until the
     * online members have all the posted ones.
     *
     * @return the number after the last message posted
     */
    int post(int from, int to, String phase, Duration budget) throws InterruptedException {
        long deadline = System.nanoTime() + budget.toNanos();
        Duration stall = options.seconds("stall-seconds");
        int message = from;
        long members = shape.members();
        try (Progress.Ticker ticker = progress.ticking(() -> String.format("%s %,d / %,d deliveries", phase,
                ledger.delivered() - from * members, (to - from) * members))) {
            for (; message < to && System.nanoTime() - deadline < 0; message++) {
                if (!window.tryAcquire(stall.toMillis(), TimeUnit.MILLISECONDS)) {
                    progress.problem("the window did not move for " + stall + ": deliveries are missing");
                    break;
                }
                Marker marker = new Marker(message, System.nanoTime());
                expect(message);
                Histogram posts = postMicros;
                String sender = shape.userPrefix() + message % shape.senders();
                post(sender, chatId, marker, shape.textLength(), "c" + message).thenAccept(stored -> {
                    if (marker.message() >= timedFrom) {
                        posts.recordValue((System.nanoTime() - marker.sentNanos()) / 1000);
                    }
                    if (!stored) {
                        window.release();
                    }
                });
            }
            await(phase + " deliveries", ledger::delivered, ledger::expected);
        }
        return message;
    }

    @Override
    void delivered(ClientSocket socket, Marker marker, long seq, long nanos) {
        int message = marker.message();
        if (!ledger.record(socket.index(), message, seq)) {
            return;
        }
        TimedPhase phase = timed;
        if (phase != null && message >= timedFrom && message < timedTo) {
            phase.arrived(nanos, marker.sentNanos());
        }
        if (completions.incrementAndGet(message) == shape.members()) {
            window.release();
        }
    }
}
