package dev.chatwire.benchmark;

import java.time.Duration;
import java.util.ArrayList;
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

    AdmissionWorkload(Workload run) {
        this(run, run.options().integer("admission-chat-size"),
                run.options().integer("admission-sockets") / run.options().integer("admission-chat-size"));
    }

    private AdmissionWorkload(Workload run, int chatSize, int chats) {
        super(run, chats * chatSize, (socket, message) -> socket / chatSize == message % chats);
        this.chatSize = chatSize;
        this.chats = chats;
    }

    Measured execute() throws Exception {
        int sockets = chats * chatSize;
        List<String> users = users("adm-", sockets);
        List<String> chatIds = createChats(users, chatSize);
        postOnePerChat(0, chatIds, users);
        List<CompletableFuture<ClientSocket>> pending = new ArrayList<>(sockets);
        TimedPhase storm = new TimedPhase(run);
        try (Progress.Ticker ticker = progress.ticking(() -> "connected " + storm.latency.getTotalCount() + " / "
                + sockets)) {
            for (int i = 0; i < sockets; i++) {
                String resume = "{\"" + chatIds.get(i / chatSize) + "\":0}";
                long began = System.nanoTime();
                pending.add(run.client().open(i, users.get(i), this, false, false, resume, TIMEOUT)
                        .whenComplete((socket, failure) -> {
                            if (failure != null) {
                                progress.problem("a socket did not connect: " + failure);
                            } else {
                                storm.arrived(System.nanoTime(), began);
                            }
                        }));
            }
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).exceptionally(failure -> null).join();
        }
        long connected = storm.latency.getTotalCount();
        Map<String, Double> figures = storm.figures("connects_per_s", connected, "connect");
        figures.put("all_connected_s", storm.seconds());
        figures.putAll(storm.backendFigures(connected, "connect"));
        List<ClientSocket> open = pending.stream().filter(socket -> !socket.isCompletedExceptionally())
                .map(CompletableFuture::join).toList();
        try {
            ledger.expect(sockets);
            awaitDeliveries("replays");
            postOnePerChat(chats, chatIds, users);
            ledger.expect(sockets);
            awaitDeliveries("live messages after the storm");
        } finally {
            close(open);
        }
        return measured("admission", "connects_per_s", figures);
    }

    /** Posts message {@code first + c} to each chat {@code c} as its first member, and waits for the answers. */
    private void postOnePerChat(int first, List<String> chatIds, List<String> users) throws InterruptedException {
        postAll(first, first + chats, message -> users.get(message % chats * chatSize),
                message -> chatIds.get(message % chats), "a");
    }
}
