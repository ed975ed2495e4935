package dev.chatwire.benchmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The admission storm, as after a deploy: S users in chats of G, each chat holding one message, all open their
 * sockets at once with {@code resume} from seq 0. Measures connects per second, the time until every socket is
 * {@code connected} and the latency of each from its handshake's start; then checks that every socket got its chat's
 * message by replay and one more message posted live, each once, in seq order.
 *
 * <p>Socket {@code i} is in chat {@code i / G}; message {@code m} is chat {@code m % chats}'s, the replayed ones first
 * ({@code m < chats}), then the live ones.
 */
final class AdmissionWorkload extends ChatWorkload {

    /**
     * How long a socket may wait for {@code connected}: the storm queues thousands of handshakes at once, and on
     * backends the last one is admitted minutes after the first on a shared two-core machine.
     */
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final int chatSize;
    private final int chats;
    private final int sockets;
    private final DeliveryLedger ledger;

    private AdmissionWorkload(Workload run) {
        super(run);
        this.chatSize = run.options().integer("admission-chat-size");
        this.chats = run.options().integer("admission-sockets") / chatSize;
        this.sockets = chats * chatSize;
        this.ledger = new DeliveryLedger(sockets, (socket, message) -> socket / chatSize == message % chats);
    }

    /** Runs the workload. */
    static Measured run(Workload run) throws Exception {
        return new AdmissionWorkload(run).execute();
    }

    private Measured execute() throws Exception {
        LoadClient client = run.client();
        List<String> users = users("adm-", sockets);
        List<String> chatIds = createChats(users, chatSize);
        postOnePerChat(0, chatIds, users);
        List<CompletableFuture<ClientSocket>> pending = new ArrayList<>(sockets);
        TimedPhase storm = new TimedPhase(run, sockets);
        try (Progress progress = Progress.of(run.label(), () -> "connected " + storm.latency.count() + " / "
                + sockets)) {
            for (int i = 0; i < sockets; i++) {
                String resume = "{\"" + chatIds.get(i / chatSize) + "\":0}";
                long began = System.nanoTime();
                pending.add(client.open(i, users.get(i), this, false, resume, TIMEOUT)
                        .whenComplete((socket, failure) -> {
                            if (failure != null) {
                                problems.add("a socket did not connect: " + failure);
                            } else {
                                storm.arrived(System.nanoTime(), began);
                            }
                        }));
            }
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).exceptionally(failure -> null).join();
        }
        long connected = storm.latency.count();
        Map<String, Double> figures = new LinkedHashMap<>(storm.figures("connects_per_s", connected, "connect"));
        figures.put("all_connected_s", storm.seconds());
        LatencyRecorder.Summary latency = storm.latency.summary();
        figures.put("connect_p50_ms", latency.p50());
        figures.put("connect_p99_ms", latency.p99());
        figures.putAll(storm.backendFigures(connected, "connect"));
        List<ClientSocket> open = pending.stream().filter(socket -> !socket.isCompletedExceptionally())
                .map(CompletableFuture::join).toList();
        try {
            ledger.expect((long) chats * chatSize);
            await("replays", ledger::delivered, ledger::expected);
            postOnePerChat(chats, chatIds, users);
            ledger.expect((long) chats * chatSize);
            await("live messages after the storm", ledger::delivered, ledger::expected);
        } finally {
            close(open);
        }
        return Measured.of("admission", "connects_per_s", figures, ledger.verdict(), problems.count());
    }

    /** Posts message {@code first + c} to each chat {@code c} as its first member, and waits for the answers. */
    private void postOnePerChat(int first, List<String> chatIds, List<String> users) throws InterruptedException {
        postAll(first, first + chats, message -> users.get(message % chats * chatSize),
                message -> chatIds.get(message % chats), "a");
    }

    @Override
    void delivered(ClientSocket socket, Marker marker, long seq, long nanos) {
        ledger.record(socket.index(), marker.message(), seq);
    }
}
