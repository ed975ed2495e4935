package dev.chatwire.benchmark;

import org.eclipse.jetty.websocket.core.CloseStatus;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Idle: authenticated sockets, each in one chat of {@value #CHAT_SIZE} users, added in steps up to the largest count
 * of the ladder. Each step is held for the idle hold, then, after two full GCs, the server's live heap (the bytes of
 * every live object, from a class histogram) and resident memory are read and compared with the same process before
 * any socket connected. The hold matters: connecting leaves garbage that a full GC does not take yet (Jetty schedules
 * a timer task per write that lives as long as the container's send timeout, 20 s, and parsers keep per-thread
 * buffers behind soft references), and measured after 1 s it made the ladder look non-linear. At the end every chat
 * gets one message, which each of its sockets must receive once: the sockets are still alive.
 */
final class IdleWorkload implements ClientSocket.Listener {

    /**
     * Memory at one connection count, over the same server with no connections.
     *
     * @param connections  sockets open
     * @param heapBytes    live heap after full GCs, over the baseline
     * @param rssBytes     resident memory, over the baseline
     */
    record Step(int connections, long heapBytes, long rssBytes) {

        /** Heap bytes per connection. */
        double heapPerConnection() {
            return heapBytes / (double) connections;
        }

        /** Resident bytes per connection. */
        double rssPerConnection() {
            return rssBytes / (double) connections;
        }
    }

    /**
     * What the idle workload measured.
     *
     * @param steps    one per ladder count, ascending
     * @param growth   at the headline count, every class that grew, per connection, largest first (first round only)
     * @param nativeGrowth at the headline count, committed memory per connection by JVM area, when the server runs
     *                     with native memory tracking (first round only)
     * @param verdict  the probe messages' delivery check
     * @param errors   unexpected closes, error frames, failed calls
     */
    record Result(List<Step> steps, List<HeapHistogram.Growth> growth, List<String> nativeGrowth,
                  DeliveryLedger.Verdict verdict, long errors) {

        /** The step at a connection count. */
        Step at(int connections) {
            return steps.stream().filter(step -> step.connections() == connections).findFirst().orElseThrow();
        }

        /** Whether every socket stayed up and every probe arrived once. */
        boolean correct() {
            return verdict.correct() && errors == 0;
        }
    }

    /** Users per chat: each user is in exactly one; ten keeps the setup's REST calls few. */
    static final int CHAT_SIZE = 10;

    private final Workload run;
    private final int largest;
    private final DeliveryLedger ledger;
    private final Problems problems;
    private final AtomicInteger ready = new AtomicInteger();

    private IdleWorkload(Workload run) {
        this.run = run;
        List<Integer> ladder = run.options().ladder();
        this.largest = ladder.get(ladder.size() - 1);
        // Probe message j goes to chat j, whose sockets are CHAT_SIZE * j to CHAT_SIZE * (j + 1) - 1.
        this.ledger = new DeliveryLedger(largest, (socket, message) -> socket / CHAT_SIZE == message);
        this.problems = new Problems(run.label());
    }

    /** Runs the workload. */
    static Result run(Workload run) throws Exception {
        return new IdleWorkload(run).execute();
    }

    private Result execute() throws Exception {
        BenchmarkOptions o = run.options();
        LoadClient client = run.client();
        ServerProcess server = run.server();
        List<String> users = new ArrayList<>(largest);
        List<List<String>> chats = new ArrayList<>(largest / CHAT_SIZE);
        for (int i = 0; i < largest; i++) {
            users.add("idle-" + i);
        }
        for (int j = 0; j < largest / CHAT_SIZE; j++) {
            chats.add(users.subList(CHAT_SIZE * j, CHAT_SIZE * (j + 1)));
        }
        Progress.say(run.label(), "creating " + chats.size() + " chats");
        List<String> chatIds = client.createChats(chats, o.restWindow());
        client.closeRestConnections();

        server.fullGc();
        String empty = server.jcmd("GC.class_histogram");
        Files.writeString(run.outDir().resolve(run.name() + "-histogram-0.txt"), empty);
        HeapHistogram before = HeapHistogram.parse(empty);
        long heap0 = before.totalBytes();
        long rss0 = server.residentMemory();
        boolean firstRound = run.round() == 1;
        boolean tracking = firstRound
                && o.idleJvmArgs().stream().anyMatch(flag -> flag.startsWith("-XX:NativeMemoryTracking"));
        NativeMemory nativeBefore = tracking ? NativeMemory.parse(server.jcmd("VM.native_memory", "summary")) : null;
        List<String> nativeGrowth = List.of();
        Progress.say(run.label(), String.format("no connections: heap %,d KB, RSS %,d KB", heap0 / 1024,
                rss0 / 1024));

        List<ClientSocket> sockets = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        List<HeapHistogram.Growth> growth = List.of();
        try {
            for (int count : o.ladder()) {
                try (Progress progress = Progress.of(run.label(), () -> "connected " + ready.get() + " / " + count)) {
                    int from = sockets.size();
                    List<ClientSocket> added = client.connectAll(from, users.subList(from, count), this,
                            o.connectConcurrency(), n -> ready.set(from + n));
                    sockets.addAll(added);
                }
                Thread.sleep(o.idleHold().toMillis());
                server.fullGc();
                String after = server.jcmd("GC.class_histogram");
                HeapHistogram live = HeapHistogram.parse(after);
                long rss = server.residentMemory();
                long inUse = server.heapUsed();
                Step step = new Step(count, live.totalBytes() - heap0, rss - rss0);
                steps.add(step);
                Progress.say(run.label(), String.format("%,d connections: heap %.1f KB, RSS %.1f KB per connection "
                        + "(G1's heap in use: %,d KB)", count, step.heapPerConnection() / 1024,
                        step.rssPerConnection() / 1024, inUse / 1024));
                Files.writeString(run.outDir().resolve(run.name() + "-histogram-" + count + ".txt"), after);
                if (firstRound && count == o.idleConnections()) {
                    growth = live.growthSince(before, count, Integer.MAX_VALUE);
                    Files.write(run.outDir().resolve(run.name() + "-growth.txt"), growth.stream()
                            .map(g -> String.format("%10.1f B %8.2f objects  %s", g.bytesPerSocket(),
                                    g.instancesPerSocket(), g.className())).toList());
                }
                if (tracking && count == o.idleConnections()) {
                    String summary = server.jcmd("VM.native_memory", "summary");
                    Files.writeString(run.outDir().resolve(run.name() + "-native-memory.txt"), summary);
                    nativeGrowth = NativeMemory.parse(summary).growthSince(nativeBefore, count);
                }
            }
            probe(chatIds, users);
        } finally {
            int open = client.closeAll(sockets, run.options().stall());
            if (open > 0) {
                problems.add(open + " sockets did not close");
            }
        }
        return new Result(steps, growth, nativeGrowth, ledger.verdict(), problems.count());
    }

    /** Posts one message to every chat and waits until every socket of each got it. */
    private void probe(List<String> chatIds, List<String> users) throws InterruptedException {
        Semaphore window = new Semaphore(run.options().restWindow());
        try (Progress progress = Progress.of(run.label(), () -> String.format("probe %,d / %,d deliveries",
                ledger.delivered(), ledger.expected()))) {
            for (int j = 0; j < chatIds.size(); j++) {
                window.acquire();
                ledger.expect(CHAT_SIZE);
                MessagePost.send(run.client(), users.get(CHAT_SIZE * j), chatIds.get(j),
                        new Marker(j, System.nanoTime()), run.options().textLength(), null, problems)
                        .thenAccept(stored -> window.release());
            }
            long goal = (long) CHAT_SIZE * chatIds.size();
            if (!Waits.until(ledger::delivered, () -> goal, run.options().stall())) {
                problems.add("probe deliveries stalled");
            }
        }
    }

    @Override
    public void onFrame(ClientSocket socket, String type, String frame) {
        if (type.equals("new_message")) {
            Marker marker = Marker.ofNewMessage(frame, problems);
            if (marker != null) {
                ledger.record(socket.index(), marker.message(), FrameScanner.number(frame, "seq", -1));
            }
        } else if (type.equals("error")) {
            problems.add("error frame: " + frame);
        }
    }

    @Override
    public void onClosed(ClientSocket socket, CloseStatus status, boolean expected) {
        if (!expected) {
            problems.add("socket " + socket.index() + " closed by the server: " + status);
        }
    }
}
