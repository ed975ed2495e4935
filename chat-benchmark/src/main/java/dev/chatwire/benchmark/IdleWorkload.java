package dev.chatwire.benchmark;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Idle: authenticated sockets, each in one chat of {@value #CHAT_SIZE} users, held for the idle hold; then, after two
 * full GCs, the server's live heap (the bytes of every live object, from a class histogram) and resident memory are
 * read and compared with the same process before any socket connected. The hold matters: connecting leaves garbage
 * that a full GC does not take yet (Jetty schedules a timer task per write that lives as long as the container's send
 * timeout, 20 s, and parsers keep per-thread buffers behind soft references), and measured after 1 s it inflated the
 * figures. At the end every chat gets one message, which each of its sockets must receive once: the sockets are still
 * alive.
 */
final class IdleWorkload extends ChatWorkload {

    /** Users per chat: each user is in exactly one; ten keeps the setup's REST calls few. */
    static final int CHAT_SIZE = 10;

    private final int connections;

    IdleWorkload(Workload run) {
        this(run, run.options().integer("idle-connections"));
    }

    private IdleWorkload(Workload run, int connections) {
        // Probe message j goes to chat j, whose sockets are CHAT_SIZE * j to CHAT_SIZE * (j + 1) - 1.
        super(run, connections, (socket, message) -> socket / CHAT_SIZE == message);
        this.connections = connections;
    }

    /** Measures the memory per connection ({@code idle}). */
    Measured execute() throws Exception {
        ChildProcess server = run.nodes().get(0);
        List<String> users = users("idle-", connections);
        List<String> chatIds = createChats(users, CHAT_SIZE);
        // The server keeps buffers per HTTP connection until it closes, which the baseline must not count.
        run.client().closeRestConnections();
        long heapBefore = server.liveHeapBytes();
        long rssBefore = server.residentMemory();
        List<ClientSocket> sockets = connect(0, users, false);
        Map<String, Double> figures = new LinkedHashMap<>();
        try {
            Thread.sleep(options.seconds("idle-hold-seconds").toMillis());
            figures.put("heap_kb_per_conn", (server.liveHeapBytes() - heapBefore) / 1024.0 / connections);
            figures.put("rss_kb_per_conn", (server.residentMemory() - rssBefore) / 1024.0 / connections);
            progress.say(String.format("%,d connections: heap %.1f KB, RSS %.1f KB per connection", connections,
                    figures.get("heap_kb_per_conn"), figures.get("rss_kb_per_conn")));
            ledger.expect((long) CHAT_SIZE * chatIds.size());
            postAll(0, chatIds.size(), chat -> users.get(CHAT_SIZE * chat), chatIds::get, null);
            awaitDeliveries("probe");
        } finally {
            close(sockets);
        }
        return measured("idle", "heap_kb_per_conn", figures);
    }
}
