package dev.chatwire.benchmark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Idle: authenticated sockets, each in one chat of {@value #CHAT_SIZE} users, added in steps up to the largest count
 * of the ladder. Each step is held for the idle hold, then, after two full GCs, the server's live heap (the bytes of
 * every live object, from a class histogram) and resident memory are read and compared with the same process before
 * any socket connected. The hold matters: connecting leaves garbage that a full GC does not take yet (Jetty schedules
 * a timer task per write that lives as long as the container's send timeout, 20 s, and parsers keep per-thread
 * buffers behind soft references), and measured after 1 s it made the ladder look non-linear. At the end every chat
 * gets one message, which each of its sockets must receive once: the sockets are still alive.
 */
final class IdleWorkload extends ChatWorkload {

    /** Users per chat: each user is in exactly one; ten keeps the setup's REST calls few. */
    static final int CHAT_SIZE = 10;

    /** Memory at one connection count over the same server with none: live heap and resident, bytes. */
    private record Step(int connections, long heapBytes, long rssBytes) {
        double heapKbPerConnection() {
            return heapBytes / 1024.0 / connections;
        }

        double rssKbPerConnection() {
            return rssBytes / 1024.0 / connections;
        }
    }

    private final List<Integer> ladder;

    IdleWorkload(Workload run) {
        this(run, run.options().ladder());
    }

    private IdleWorkload(Workload run, List<Integer> ladder) {
        // Probe message j goes to chat j, whose sockets are CHAT_SIZE * j to CHAT_SIZE * (j + 1) - 1.
        super(run, ladder.get(ladder.size() - 1), (socket, message) -> socket / CHAT_SIZE == message);
        this.ladder = ladder;
    }

    /** Measures the headline count ({@code idle}) and the ladder ({@code linearity}). */
    List<Measured> execute() throws Exception {
        ChildJvm server = run.nodes().get(0);
        List<String> users = users("idle-", ladder.get(ladder.size() - 1));
        List<String> chatIds = createChats(users, CHAT_SIZE);
        // The server keeps buffers per HTTP connection until it closes, which the baseline must not count.
        run.client().closeRestConnections();
        long heap0 = server.liveHeapBytes();
        long rss0 = server.residentMemory();
        List<ClientSocket> sockets = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        try {
            for (int count : ladder) {
                sockets.addAll(connect(sockets.size(), users.subList(sockets.size(), count), false));
                Thread.sleep(options.seconds("idle-hold-seconds").toMillis());
                Step step = new Step(count, server.liveHeapBytes() - heap0, server.residentMemory() - rss0);
                steps.add(step);
                progress.say(String.format("%,d connections: heap %.1f KB, RSS %.1f KB per connection", count,
                        step.heapKbPerConnection(), step.rssKbPerConnection()));
            }
            // Every chat gets one message, which each of its sockets must receive.
            ledger.expect((long) CHAT_SIZE * chatIds.size());
            postAll(0, chatIds.size(), chat -> users.get(CHAT_SIZE * chat), chatIds::get, null);
            awaitDeliveries("probe");
        } finally {
            close(sockets);
        }
        int headline = options.integer("idle-connections");
        Step step = steps.stream().filter(s -> s.connections() == headline).findFirst().orElseThrow();
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("heap_kb_per_conn", step.heapKbPerConnection());
        figures.put("rss_kb_per_conn", step.rssKbPerConnection());
        return List.of(measured("idle", "heap_kb_per_conn", figures),
                measured("linearity", "heap_spread", ladder(steps)));
    }

    private static Map<String, Double> ladder(List<Step> steps) {
        Map<String, Double> figures = new LinkedHashMap<>();
        for (Step step : steps) {
            figures.put("heap_kb_per_conn@" + step.connections(), step.heapKbPerConnection());
            figures.put("rss_kb_per_conn@" + step.connections(), step.rssKbPerConnection());
        }
        double min = steps.stream().mapToDouble(Step::heapKbPerConnection).min().orElse(0);
        double max = steps.stream().mapToDouble(Step::heapKbPerConnection).max().orElse(0);
        figures.put("heap_spread", min <= 0 ? Double.NaN : max / min);
        if (steps.size() >= 2) {
            // What one more connection costs, free of the fixed growth (code cache, pools) the averages carry.
            Step first = steps.get(0);
            Step last = steps.get(steps.size() - 1);
            double added = (last.connections() - first.connections()) * 1024.0;
            figures.put("heap_kb_per_added_conn", (last.heapBytes() - first.heapBytes()) / added);
            figures.put("rss_kb_per_added_conn", (last.rssBytes() - first.rssBytes()) / added);
        }
        return figures;
    }
}
