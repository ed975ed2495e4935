package dev.chatwire.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The deployed-configuration suite's results: per workload, each figure on in-memory stores and on MongoDB and Redis
 * with one node and with several, each backends figure beside its ratio over the in-memory one of the same run.
 */
final class BackendsReport {

    /** The rows of the table, by workload: the figures that say most, in this order; the JSON lines have them all. */
    private static final Map<String, List<String>> ROWS = Map.of(
            "hotchat", List.of("messages_per_s", "messages_per_s_per_node", "post_p50_ms", "post_p99_ms", "p99_ms",
                    "server_cpu_us_per_message"),
            "admission", List.of("connects_per_s", "connects_per_s_per_node", "all_connected_s", "connect_p50_ms",
                    "connect_p99_ms",
                    "server_cpu_us_per_connect"),
            "pairs-socket", List.of("sends_per_s", "sends_per_s_per_node", "p50_ms", "p99_ms",
                    "server_cpu_us_per_send"),
            "pairs-rest", List.of("sends_per_s", "sends_per_s_per_node", "p50_ms", "p99_ms", "server_cpu_us_per_send"),
            "fanout", List.of("deliveries_per_s", "deliveries_per_s_per_node", "p50_ms", "p99_ms",
                    "server_cpu_us_per_delivery",
                    "server_cpu_us_per_message"));
    /** The per-unit figures every backends run adds: each backend's CPU and Redis's traffic. */
    private static final List<String> BACKEND_ROWS = List.of("mongo_cpu_us_per_", "mongo_proxy_cpu_us_per_",
            "redis_cpu_us_per_", "redis_proxy_cpu_us_per_", "redis_commands_per_", "redis_publishes_per_",
            "redis_in_bytes_per_", "redis_out_bytes_per_");

    /**
     * One workload's run on one deployment.
     *
     * @param deployment {@code memory} or {@code backends}
     * @param nodes      how many server nodes shared the work
     * @param unit       what the per-unit figures count: message, connect, send
     */
    record Run(String workload, String deployment, int nodes, String unit, Map<String, Double> figures,
               boolean correct, String checks) {

        String column() {
            return deployment.equals("memory") ? "in-memory" : nodes + (nodes == 1 ? " node" : " nodes");
        }
    }

    private final BackendOptions options;
    private final List<Run> runs = new ArrayList<>();

    BackendsReport(BackendOptions options) {
        this.options = options;
    }

    void add(Run run) {
        runs.add(run);
    }

    List<Run> runs() {
        return List.copyOf(runs);
    }

    /** Whether every run's delivery checks passed. */
    boolean correct() {
        return runs.stream().allMatch(Run::correct);
    }

    /** The table: per workload, a row per figure and a column per deployment, with ratios over in-memory. */
    String table() {
        StringBuilder table = new StringBuilder(String.format("deployed configuration: MongoDB (%s) and Redis, each "
                + "behind a proxy adding %.1f ms each way; ratios over in-memory stores in the same run%n",
                options.mongoUri() == null ? "mongo-java-server stand-in with indexed $and lookups" : "given by URI",
                options.delayMillis()));
        Set<String> columns = new LinkedHashSet<>();
        runs.forEach(run -> columns.add(run.column()));
        String header = String.format("%-36s", "figure") + String.join("", columns.stream()
                .map(column -> column.equals("in-memory") ? String.format("%12s", column)
                        : String.format("%12s%8s", column, "ratio")).toList());
        for (String workload : workloads()) {
            List<Run> of = runs.stream().filter(run -> run.workload().equals(workload)).toList();
            table.append(workload).append(workloadNote(workload)).append('\n').append(header).append('\n');
            String unit = of.get(0).unit();
            List<String> keys = new ArrayList<>(ROWS.getOrDefault(workload, List.of()));
            BACKEND_ROWS.forEach(prefix -> keys.add(prefix + unit));
            for (String key : keys) {
                StringBuilder row = new StringBuilder(String.format("%-36s", key));
                Double memory = figure(of, "in-memory", key);
                for (String column : columns) {
                    Double value = figure(of, column, key);
                    row.append(String.format("%12s", value == null ? "-" : number(value)));
                    if (!column.equals("in-memory")) {
                        row.append(String.format("%8s", value == null || memory == null || memory == 0 ? ""
                                : String.format("%.2fx", value / memory)));
                    }
                }
                table.append(row.toString().stripTrailing()).append('\n');
            }
        }
        table.append(String.format("deployed-configuration delivery checks: %s%n", correct()
                ? "every run correct (nothing lost, duplicated, misrouted or reordered)" : "FAILED"));
        for (Run run : runs) {
            if (!run.correct()) {
                table.append(String.format("  %s %s: %s%n", run.workload(), run.column(), run.checks()));
            }
        }
        table.append("Several nodes share this machine's cores with the backends and the load client: their figures "
                + "measure the overhead of spreading a workload over nodes, not a speed-up.\n");
        return table.toString();
    }

    private String workloadNote(String workload) {
        return switch (workload) {
            case "hotchat" -> String.format(": one chat, %d members all posting through REST, %d posts in flight;"
                    + " each member posts through its socket's node, so several nodes write the chat at once",
                    options.hotMembers(), options.hotWindow());
            case "admission" -> String.format(": %,d sockets in chats of %d connect at once with resume, each chat "
                    + "holding one message", options.admissionSockets(), options.admissionChatSize());
            case "pairs-socket" -> String.format(": %d direct chats, %d sends per user over the socket; the two "
                    + "users of a chat on different nodes when there are several, both writing it", options.pairs(),
                    options.pairMessages());
            case "pairs-rest" -> ": the same chats, the same sends through REST";
            case "fanout" -> String.format(": one chat of %,d members, one posting through REST to its socket's node",
                    options.fanoutMembers());
            default -> "";
        };
    }

    private List<String> workloads() {
        Set<String> workloads = new LinkedHashSet<>();
        runs.forEach(run -> workloads.add(run.workload()));
        return List.copyOf(workloads);
    }

    private static Double figure(List<Run> runs, String column, String key) {
        return runs.stream().filter(run -> run.column().equals(column)).map(run -> run.figures().get(key))
                .filter(value -> value != null && !value.isNaN()).findFirst().orElse(null);
    }

    /** One JSON object per run, one per line. */
    String jsonLines() {
        ObjectMapper mapper = new ObjectMapper();
        StringBuilder lines = new StringBuilder();
        for (Run run : runs) {
            ObjectNode node = mapper.createObjectNode();
            node.put("workload", run.workload());
            node.put("deployment", run.deployment());
            node.put("nodes", run.nodes());
            node.put("backend_delay_ms", options.delayMillis());
            node.put("date", LocalDate.now().toString());
            node.put("correct", run.correct());
            node.put("checks", run.checks());
            ObjectNode figures = node.putObject("figures");
            run.figures().forEach((key, value) -> figures.put(key, Math.round(value * 1000) / 1000.0));
            lines.append(node).append('\n');
        }
        return lines.toString();
    }

    private static String number(double value) {
        if (Math.abs(value) >= 1000) {
            return String.format("%,.0f", value);
        }
        return String.format("%.2f", value);
    }
}
