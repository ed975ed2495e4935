package dev.chatwire.benchmark;

import org.eclipse.jetty.websocket.core.CloseStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * The admission storm, as after a deploy: S users in chats of G, each chat holding one message, all open their
 * sockets at once with {@code resume} from seq 0. Measures connects per second, the time until every socket is
 * {@code connected} and the latency of each from its handshake's start; then checks that every socket got its chat's
 * message by replay and one more message posted live, each once, in seq order.
 *
 * <p>Socket {@code i} is in chat {@code i / G}; message {@code m} is chat {@code m % chats}'s, the replayed ones first
 * ({@code m < chats}), then the live ones.
 */
final class AdmissionWorkload implements ClientSocket.Listener {

    /**
     * How long a socket may wait for {@code connected}: the storm queues thousands of handshakes at once, and on
     * backends the last one is admitted minutes after the first on a shared two-core machine.
     */
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final Workload run;
    private final int sockets;
    private final int chatSize;
    private final int chats;
    private final DeliveryLedger ledger;
    private final Problems problems;
    private final LatencyRecorder connectLatency;
    private final LongAccumulator lastConnected = new LongAccumulator(Math::max, 0);
    private final AtomicLong connectedCount = new AtomicLong();

    private AdmissionWorkload(Workload run) {
        this.run = run;
        this.chatSize = run.options().backends().admissionChatSize();
        this.chats = run.options().backends().admissionSockets() / chatSize;
        this.sockets = chats * chatSize;
        this.ledger = new DeliveryLedger(sockets, (socket, message) -> socket / chatSize == message % chats);
        this.problems = new Problems(run.label());
        this.connectLatency = new LatencyRecorder(sockets);
    }

    /** Runs the workload. */
    static Throughput run(Workload run) throws Exception {
        return new AdmissionWorkload(run).execute();
    }

    private Throughput execute() throws Exception {
        LoadClient client = run.client();
        List<String> users = new ArrayList<>(sockets);
        List<List<String>> groups = new ArrayList<>(chats);
        for (int i = 0; i < sockets; i++) {
            users.add("adm-" + i);
            client.token(users.get(i));
        }
        for (int c = 0; c < chats; c++) {
            groups.add(users.subList(c * chatSize, (c + 1) * chatSize));
        }
        Progress.say(run.label(), "creating " + chats + " chats of " + chatSize + " and one message in each");
        List<String> chatIds = client.createChats(groups, run.options().restWindow());
        postOnePerChat(0, chatIds, users);
        List<CompletableFuture<ClientSocket>> pending = new ArrayList<>(sockets);
        Instant from = Instant.now();
        CpuMeter cpu = CpuMeter.start(run);
        long start = System.nanoTime();
        try (Progress progress = Progress.of(run.label(), () -> "connected " + connectedCount.get() + " / "
                + sockets)) {
            for (int i = 0; i < sockets; i++) {
                String resume = "{\"" + chatIds.get(i / chatSize) + "\":0}";
                long began = System.nanoTime();
                pending.add(client.open(i, users.get(i), this, LoadClient.ReceiveBuffer.DEFAULT, resume, TIMEOUT)
                        .whenComplete((socket, failure) -> {
                            if (failure != null) {
                                problems.add("a socket did not connect: " + failure);
                            } else {
                                long now = System.nanoTime();
                                connectLatency.record(now - began);
                                lastConnected.accumulate(now);
                                connectedCount.incrementAndGet();
                            }
                        }));
            }
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).exceptionally(failure -> null).join();
        }
        double seconds = Math.max(1, lastConnected.get() - start) / 1e9;
        long connected = connectedCount.get();
        Map<String, Double> extra = new LinkedHashMap<>();
        extra.put("connects_per_s", connected / seconds);
        extra.put("all_connected_s", seconds);
        LatencyRecorder.Summary latency = connectLatency.summary();
        extra.put("connect_p50_ms", latency.p50());
        extra.put("connect_p99_ms", latency.p99());
        extra.put("server_cpu_us_per_connect", cpu.serverMicrosPer(connected));
        extra.putAll(cpu.backendFigures(connected, "connect"));
        double clientMicros = cpu.clientMicrosPer(connected);
        CpuMeter.Machine machine = cpu.machineSinceStart();
        run.phase("admission", from, Instant.now());
        List<ClientSocket> open = pending.stream().filter(socket -> !socket.isCompletedExceptionally())
                .map(CompletableFuture::join).toList();
        try {
            ledger.expect((long) chats * chatSize);
            if (!Waits.until(ledger::delivered, ledger::expected, run.options().stall())) {
                problems.add("replays stalled");
            }
            postOnePerChat(chats, chatIds, users);
            ledger.expect((long) chats * chatSize);
            if (!Waits.until(ledger::delivered, ledger::expected, run.options().stall())) {
                problems.add("live messages after the storm stalled");
            }
        } finally {
            int notClosed = client.closeAll(open, run.options().stall());
            if (notClosed > 0) {
                problems.add(notClosed + " sockets did not close");
            }
        }
        return new Throughput(connected, connected / seconds, latency, ledger.verdict(), problems.count(),
                extra.get("server_cpu_us_per_connect"), clientMicros, machine, extra);
    }

    /** Posts message {@code first + c} to each chat {@code c} as its first member, and waits for the answers. */
    private void postOnePerChat(int first, List<String> chatIds, List<String> users) throws InterruptedException {
        Semaphore window = new Semaphore(run.options().restWindow());
        List<CompletableFuture<Boolean>> answers = new ArrayList<>(chats);
        for (int c = 0; c < chats; c++) {
            window.acquire();
            int message = first + c;
            answers.add(MessagePost.send(run.client(), users.get(c * chatSize), chatIds.get(c),
                    new Marker(message, System.nanoTime()), run.options().textLength(), "a" + message, problems)
                    .whenComplete((stored, failure) -> window.release()));
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).exceptionally(failure -> null).join();
    }

    @Override
    public void onFrame(ClientSocket socket, String type, String frame) {
        switch (type) {
            case "new_message" -> {
                Marker marker = Marker.ofNewMessage(frame, problems);
                if (marker != null) {
                    ledger.record(socket.index(), marker.message(), FrameScanner.number(frame, "seq", -1));
                }
            }
            case "error" -> problems.add("error frame: " + frame);
            default -> { }
        }
    }

    @Override
    public void onClosed(ClientSocket socket, CloseStatus status, boolean expected) {
        if (!expected) {
            problems.add("socket " + socket.index() + " closed by the server: " + status);
        }
    }
}
