package dev.chatwire.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The results of a benchmark run: every run's figures, and per figure Chatwire's median, the bare server's median,
 * their ratio (the median of each round's ratio, the two servers having run back to back) and the target. Prints one
 * JSON line per workload and a table.
 */
final class Report {

    /** How a figure is judged. */
    enum Goal {
        /** Chatwire / bare must be at least the bound. */
        RATIO_AT_LEAST,
        /** Chatwire / bare must be at most the bound. */
        RATIO_AT_MOST,
        /** Chatwire's own figure must be at most the bound. */
        AT_MOST,
        /** Chatwire's own figure must be at least the bound. */
        AT_LEAST,
        /** Reported, not judged. */
        NONE
    }

    /**
     * A figure and its target.
     *
     * @param workload the workload that measures it
     * @param key      its name in the JSON lines
     * @param label    its name in the table
     * @param goal     how it is judged
     * @param bound    the target's bound
     */
    record Spec(String workload, String key, String label, Goal goal, double bound) {

        String target() {
            return switch (goal) {
                case RATIO_AT_LEAST -> String.format(">= %.2fx", bound);
                case RATIO_AT_MOST -> String.format("<= %.2fx", bound);
                case AT_MOST -> String.format("<= %s", trim(bound));
                case AT_LEAST -> String.format(">= %s", trim(bound));
                case NONE -> "";
            };
        }
    }

    /**
     * One run of one workload on one server.
     *
     * @param figures its figures by key
     * @param correct whether its delivery checks passed
     * @param checks  what its delivery checks found
     */
    record Run(String workload, ServerKind server, int round, Map<String, Double> figures, boolean correct,
               String checks) {
    }

    /**
     * A figure's outcome.
     *
     * @param chatwire the median of Chatwire's runs, or NaN
     * @param bare     the median of the bare server's runs, or NaN
     * @param ratio    the median of the rounds' Chatwire / bare ratios, or NaN
     * @param met      whether the target is met; empty when there is none
     */
    record Outcome(Spec spec, double chatwire, double bare, double ratio, Optional<Boolean> met) {
    }

    /** The Chatwire servers, each compared with its {@link ServerKind#baseline()}, in the order they are reported. */
    private static final List<ServerKind> CHATWIRE_SERVERS = List.of(ServerKind.CHATWIRE, ServerKind.CHATWIRE_JETTY);

    private final BenchmarkOptions options;
    private final List<Spec> specs = new ArrayList<>();
    private final List<Run> runs = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final ObjectMapper mapper = new ObjectMapper();
    private Duration elapsed = Duration.ZERO;
    private BackendsReport backends;

    Report(BenchmarkOptions options) {
        this.options = options;
        spec("fanout", "deliveries_per_s", "fan-out deliveries/s", Goal.RATIO_AT_LEAST, 0.90);
        spec("fanout", "p50_ms", "fan-out latency p50 ms", Goal.NONE, 0);
        spec("fanout", "p99_ms", "fan-out latency p99 ms", Goal.RATIO_AT_MOST, 1.20);
        spec("fanout", "max_ms", "fan-out latency max ms", Goal.NONE, 0);
        spec("fanout", "server_cpu_us_per_delivery", "fan-out server CPU us/delivery", Goal.NONE, 0);
        spec("fanout", "client_cpu_us_per_delivery", "fan-out client CPU us/delivery", Goal.NONE, 0);
        String stalled = "+" + options.slowStalled() + " stalled";
        spec("slow", "deliveries_per_s_alone", "slow deliveries/s, none stalled", Goal.NONE, 0);
        spec("slow", "deliveries_per_s_stalled", "slow deliveries/s, " + stalled, Goal.NONE, 0);
        spec("slow", "deliveries_ratio", "slow deliveries/s, stalled/none", Goal.AT_LEAST, 0.90);
        spec("slow", "p50_ms_alone", "slow latency p50 ms, none stalled", Goal.NONE, 0);
        spec("slow", "p50_ms_stalled", "slow latency p50 ms, " + stalled, Goal.NONE, 0);
        spec("slow", "p99_ms_alone", "slow latency p99 ms, none stalled", Goal.NONE, 0);
        spec("slow", "p99_ms_stalled", "slow latency p99 ms, " + stalled, Goal.NONE, 0);
        spec("slow", "p99_ratio", "slow latency p99, stalled/none", Goal.AT_MOST, 1.20);
        spec("slow", "server_cpu_us_per_delivery_alone", "slow server CPU us/dlv, none", Goal.NONE, 0);
        spec("slow", "server_cpu_us_per_delivery_stalled", "slow server CPU us/dlv, stalled", Goal.NONE, 0);
        spec("slow", "stalled_closed_4408", "slow stalled closed with 4408", Goal.NONE, 0);
        spec("slow", "stalled_closed_other", "slow stalled closed otherwise", Goal.NONE, 0);
        spec("slow", "stalled_caught_up", "slow stalled kept, caught up", Goal.NONE, 0);
        spec("slow", "stalled_left_open", "slow stalled open, not caught up", Goal.NONE, 0);
        spec("slow", "stalled_client_queue_kb", "slow stalled client recv-Q KB max", Goal.NONE, 0);
        spec("slow", "stalled_server_queue_kb", "slow stalled server send-Q KB max", Goal.NONE, 0);
        spec("pairs-socket", "sends_per_s", "pairs socket sends/s", Goal.RATIO_AT_LEAST, 0.90);
        spec("pairs-socket", "p50_ms", "pairs socket latency p50 ms", Goal.NONE, 0);
        spec("pairs-socket", "p99_ms", "pairs socket latency p99 ms", Goal.NONE, 0);
        spec("pairs-socket", "server_cpu_us_per_send", "pairs socket server CPU us/send", Goal.NONE, 0);
        spec("pairs-socket", "client_cpu_us_per_send", "pairs socket client CPU us/send", Goal.NONE, 0);
        spec("pairs-rest", "sends_per_s", "pairs REST sends/s", Goal.RATIO_AT_LEAST, 0.80);
        spec("pairs-rest", "p50_ms", "pairs REST latency p50 ms", Goal.NONE, 0);
        spec("pairs-rest", "p99_ms", "pairs REST latency p99 ms", Goal.NONE, 0);
        spec("pairs-rest", "server_cpu_us_per_send", "pairs REST server CPU us/send", Goal.NONE, 0);
        spec("pairs-rest", "client_cpu_us_per_send", "pairs REST client CPU us/send", Goal.NONE, 0);
        spec("engine", "thread_cpu_us_per_send", "engine CPU us/send, no sockets", Goal.NONE, 0);
        spec("engine", "process_cpu_us_per_send", "engine JVM CPU us/send, GC+JIT", Goal.NONE, 0);
        spec("idle", "heap_kb_per_conn", "idle heap KB/conn @" + count(options.idleConnections()), Goal.AT_MOST, 10);
        spec("idle", "rss_kb_per_conn", "idle RSS KB/conn @" + count(options.idleConnections()), Goal.AT_MOST, 10);
        for (int connections : options.ladder()) {
            spec("linearity", "heap_kb_per_conn@" + connections, "heap KB/conn @" + count(connections), Goal.NONE, 0);
            spec("linearity", "rss_kb_per_conn@" + connections, "RSS KB/conn @" + count(connections), Goal.NONE, 0);
        }
        spec("linearity", "heap_spread", "heap/conn max/min over ladder", Goal.AT_MOST, 1.25);
        spec("linearity", "heap_kb_per_added_conn", "heap KB per added conn", Goal.NONE, 0);
        spec("linearity", "rss_kb_per_added_conn", "RSS KB per added conn", Goal.NONE, 0);
        spec("serialization", "encodes_per_publish", "serializations per publish", Goal.AT_MOST, 1.5);
        spec("serialization", "response_encodes_per_publish", "REST 201 body serializations", Goal.NONE, 0);
        spec("serialization", "bytes_per_encode", "bytes allocated per encode", Goal.NONE, 0);
        spec("serialization", "encode_cpu_percent", "CPU % serializing in the codec", Goal.NONE, 0);
        spec("serialization", "members", "recipients per publish", Goal.NONE, 0);
    }

    private void spec(String workload, String key, String label, Goal goal, double bound) {
        specs.add(new Spec(workload, key, label, goal, bound));
    }

    private static String count(int connections) {
        return String.format("%,d", connections);
    }

    /** Adds a run's figures. */
    void add(Run run) {
        runs.add(run);
    }

    /** Adds a line to print under the table. */
    void note(String line) {
        notes.add(line);
    }

    /** Records how long the whole benchmark took. */
    void elapsed(Duration duration) {
        this.elapsed = duration;
    }

    /** Adds the deployed-configuration suite's results, printed after the bare comparison's. */
    void backends(BackendsReport results) {
        this.backends = results;
    }

    /** The deployed-configuration suite's results, if it ran. */
    Optional<BackendsReport> backends() {
        return Optional.ofNullable(backends);
    }

    /** Whether every run's delivery checks passed, the deployed-configuration suite's too. */
    boolean correct() {
        return runs.stream().allMatch(Run::correct) && (backends == null || backends.correct());
    }

    /** The runs recorded so far. */
    List<Run> runs() {
        return List.copyOf(runs);
    }

    /** The outcome of every figure some run of Chatwire on Jakarta WebSocket or the bare server measured. */
    List<Outcome> outcomes() {
        return outcomes(ServerKind.CHATWIRE);
    }

    /** The outcome of every figure some run of this Chatwire server or of its bare baseline measured. */
    List<Outcome> outcomes(ServerKind chatwireKind) {
        ServerKind bareKind = chatwireKind.baseline();
        List<Outcome> outcomes = new ArrayList<>();
        for (Spec spec : specs) {
            double chatwire = median(values(spec, chatwireKind));
            double bare = median(values(spec, bareKind));
            if (Double.isNaN(chatwire) && Double.isNaN(bare)) {
                continue;
            }
            double ratio = median(ratios(spec, chatwireKind, bareKind));
            Optional<Boolean> met = switch (spec.goal()) {
                case RATIO_AT_LEAST -> Double.isNaN(ratio) ? Optional.empty() : Optional.of(ratio >= spec.bound());
                case RATIO_AT_MOST -> Double.isNaN(ratio) ? Optional.empty() : Optional.of(ratio <= spec.bound());
                case AT_MOST -> Double.isNaN(chatwire) ? Optional.empty() : Optional.of(chatwire <= spec.bound());
                case AT_LEAST -> Double.isNaN(chatwire) ? Optional.empty() : Optional.of(chatwire >= spec.bound());
                case NONE -> Optional.empty();
            };
            outcomes.add(new Outcome(spec, chatwire, bare, ratio, met));
        }
        return outcomes;
    }

    private double[] values(Spec spec, ServerKind server) {
        return runs.stream()
                .filter(run -> run.workload().equals(spec.workload()) && run.server() == server)
                .map(run -> run.figures().get(spec.key()))
                .filter(Objects::nonNull)
                .mapToDouble(Double::doubleValue)
                .toArray();
    }

    /** Chatwire / bare for each round in which both ran. */
    private double[] ratios(Spec spec, ServerKind chatwireKind, ServerKind bareKind) {
        List<Double> ratios = new ArrayList<>();
        for (Run chatwire : runs) {
            if (!chatwire.workload().equals(spec.workload()) || chatwire.server() != chatwireKind) {
                continue;
            }
            for (Run bare : runs) {
                if (bare.workload().equals(spec.workload()) && bare.server() == bareKind
                        && bare.round() == chatwire.round()) {
                    Double c = chatwire.figures().get(spec.key());
                    Double b = bare.figures().get(spec.key());
                    if (c != null && b != null && b != 0) {
                        ratios.add(c / b);
                    }
                }
            }
        }
        return ratios.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** One JSON object per workload and transport, one per line. */
    String jsonLines() {
        Map<String, ObjectNode> lines = new LinkedHashMap<>();
        for (ServerKind chatwireKind : CHATWIRE_SERVERS) {
            for (Outcome outcome : outcomes(chatwireKind)) {
                String workload = outcome.spec().workload();
                ObjectNode line = lines.computeIfAbsent(workload + "@" + transport(chatwireKind),
                        name -> jsonLine(workload, chatwireKind));
                ObjectNode figure = ((ArrayNode) line.get("figures")).addObject();
                figure.put("figure", outcome.spec().key());
                putNumber(figure, "chatwire", outcome.chatwire());
                putNumber(figure, "bare", outcome.bare());
                putNumber(figure, "ratio", outcome.ratio());
                if (outcome.spec().goal() != Goal.NONE) {
                    figure.put("target", outcome.spec().target());
                }
                outcome.met().ifPresent(met -> figure.put("met", met));
            }
        }
        StringBuilder text = new StringBuilder();
        lines.values().forEach(node -> text.append(node.toString()).append('\n'));
        if (backends != null) {
            text.append(backends.jsonLines());
        }
        return text.toString();
    }

    /** A workload's line for one Chatwire server and its baseline: the runs, and an empty list of figures. */
    private ObjectNode jsonLine(String workload, ServerKind chatwireKind) {
        ServerKind bareKind = chatwireKind.baseline();
        ObjectNode node = mapper.createObjectNode();
        node.put("workload", workload);
        node.put("transport", transport(chatwireKind));
        node.put("chatwire_server", chatwireKind.label());
        node.put("bare_server", bareKind.label());
        node.put("date", LocalDate.now().toString());
        node.put("mode", options.smoke() ? "smoke" : "full");
        node.put("rounds", options.rounds());
        List<Run> pairRuns = runs.stream().filter(r -> r.workload().equals(workload)
                && (r.server() == chatwireKind || r.server() == bareKind)).toList();
        node.put("correct", pairRuns.stream().allMatch(Run::correct));
        node.putArray("figures");
        ArrayNode runNodes = node.putArray("runs");
        for (Run run : pairRuns) {
            ObjectNode runNode = runNodes.addObject();
            runNode.put("server", run.server().label());
            runNode.put("round", run.round());
            run.figures().forEach((key, value) -> runNode.put(key, round(value)));
            runNode.put("correct", run.correct());
            runNode.put("checks", run.checks());
        }
        return node;
    }

    private static void putNumber(ObjectNode node, String field, double value) {
        if (Double.isNaN(value)) {
            node.putNull(field);
        } else {
            node.put(field, round(value));
        }
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    /** The readable table. */
    String table() {
        StringBuilder table = new StringBuilder();
        table.append(String.format("Chatwire load benchmark, %s, %s mode, %d round(s) per server, %d cores, Java %s, "
                        + "took %d s%n", LocalDate.now(), options.smoke() ? "smoke" : "full", options.rounds(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                elapsed.toSeconds()));
        String format = "%-34s %14s %14s %9s %10s %5s%n";
        for (ServerKind chatwireKind : CHATWIRE_SERVERS) {
            List<Outcome> outcomes = outcomes(chatwireKind);
            if (outcomes.isEmpty()) {
                continue;
            }
            if (chatwireKind != ServerKind.CHATWIRE) {
                table.append(String.format("on %s: %s against %s%n", transport(chatwireKind), chatwireKind.label(),
                        chatwireKind.baseline().label()));
            }
            table.append(String.format(format, "figure", chatwireKind.label(), chatwireKind.baseline().label(),
                    "ratio", "target", "met"));
            for (Outcome outcome : outcomes) {
                table.append(String.format(format, outcome.spec().label(), number(outcome.chatwire()),
                        number(outcome.bare()), Double.isNaN(outcome.ratio()) ? "-"
                                : String.format("%.2fx", outcome.ratio()), outcome.spec().target(),
                        outcome.met().map(met -> met ? "yes" : "NO").orElse("")));
            }
        }
        if (!runs.isEmpty()) {
            table.append(String.format("delivery checks: %s%n", runs.stream().allMatch(Run::correct)
                    ? "every run correct (nothing lost, duplicated, misrouted or reordered)" : "FAILED"));
        }
        for (Run run : runs) {
            if (!run.correct()) {
                table.append(String.format("  %s %s round %d: %s%n", run.workload(), run.server().label(),
                        run.round(), run.checks()));
            }
        }
        if (backends != null) {
            table.append(backends.table());
        }
        notes.forEach(note -> table.append(note).append('\n'));
        return table.toString();
    }

    /** The WebSocket API a Chatwire server kind serves its sockets through. */
    private static String transport(ServerKind chatwireKind) {
        return chatwireKind == ServerKind.CHATWIRE_JETTY ? "jetty-core" : "jakarta";
    }

    private static String number(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        if (Math.abs(value) >= 1000) {
            return String.format("%,.0f", value);
        }
        return String.format("%.2f", value);
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
