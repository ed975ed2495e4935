package dev.chatwire.benchmark;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.DoubleStream;
import java.util.stream.Stream;

/**
 * The results of a benchmark run, in sections: Chatwire against the bare server on Jakarta WebSocket
 * ({@value #JAKARTA}) and on Jetty's core API ({@value #JETTY_CORE}), and the deployed configuration
 * ({@value #BACKENDS}). In each section the first column is the baseline: per workload, a row per figure, the median
 * of each column's rounds, and for the other columns their ratio over the baseline (the median of each round's ratio,
 * the two having run back to back) and, where the figure has one, its target.
 */
final class Report {

    static final String JAKARTA = "jakarta";
    static final String JETTY_CORE = "jetty-core";
    static final String BACKENDS = "backends";

    /**
     * Targets by section, workload and figure (issue 1's against the bare server, issue 15's on backends), judged in
     * the first column after the baseline: on the ratio over the baseline when they end in {@code x}, else on the
     * figure itself.
     */
    private static final Map<String, String> TARGETS = Map.ofEntries(
            Map.entry("jakarta/fanout/deliveries_per_s", ">= 0.90x"),
            Map.entry("jakarta/fanout/p99_ms", "<= 1.20x"),
            Map.entry("jakarta/slow/deliveries_ratio", ">= 0.90"),
            Map.entry("jakarta/slow/p99_ratio", "<= 1.20"),
            Map.entry("jakarta/pairs-socket/sends_per_s", ">= 0.90x"),
            Map.entry("jakarta/pairs-rest/sends_per_s", ">= 0.80x"),
            Map.entry("jakarta/idle/heap_kb_per_conn", "<= 10.00"),
            Map.entry("jakarta/idle/rss_kb_per_conn", "<= 10.00"),
            Map.entry("jetty-core/idle/heap_kb_per_conn", "<= 10.00"),
            Map.entry("jetty-core/idle/rss_kb_per_conn", "<= 10.00"),
            Map.entry("backends/hotchat/messages_per_s", ">= 0.50x"),
            Map.entry("backends/admission/connects_per_s", ">= 0.50x"),
            Map.entry("backends/fanout/deliveries_per_s", ">= 0.80x"),
            Map.entry("backends/pairs-socket/server_cpu_us_per_send", "<= 3.00x"));

    /** Figures of the machine, not of the server: in the machine note only. */
    private static final List<String> MACHINE = List.of("other_cpu_percent", "steal_percent");

    /**
     * One run of one workload in one column.
     *
     * @param column  the server or deployment: {@code bare}, {@code chatwire}, {@code in-memory}, {@code 2 nodes}
     * @param figures its figures by key
     * @param correct whether its delivery checks passed
     * @param checks  what its delivery checks found
     */
    record Run(String section, String workload, String column, int round, Map<String, Double> figures,
               boolean correct, String checks) {
    }

    private final Options options;
    private final List<Run> runs = new ArrayList<>();
    private Duration elapsed = Duration.ZERO;

    Report(Options options) {
        this.options = options;
    }

    synchronized void add(Run run) {
        runs.add(run);
    }

    /**
     * Records what a run measured in a section's column, with its rate per node on backends, and says so; a client
     * warm-up run (round 0) is only checked.
     *
     * @throws IllegalStateException if a warm-up run's delivery check failed
     */
    void record(String section, String column, Workload run, Measured measured) {
        if (run.round() == 0 && !measured.correct()) {
            throw new IllegalStateException(run.label() + ": delivery check failed: " + measured.checks());
        }
        Map<String, Double> figures = new LinkedHashMap<>(measured.figures());
        if (section.equals(BACKENDS)) {
            figures.put(measured.rateKey() + "_per_node", figures.get(measured.rateKey()) / run.nodes().size());
        }
        if (run.round() > 0) {
            add(new Run(section, measured.workload(), column, run.round(), figures, measured.correct(),
                    measured.checks()));
        }
        Double p99 = measured.figures().get("p99_ms");
        Progress.say(run.label(), String.format("%s %s %.1f%s%s", measured.workload(), measured.rateKey(),
                measured.figures().get(measured.rateKey()), p99 == null ? "" : String.format(", p99 %.1f ms", p99),
                run.round() == 0 ? " (not counted)" : measured.correct() ? "" : " DELIVERY CHECK FAILED: "
                        + measured.checks()));
    }

    void elapsed(Duration duration) {
        this.elapsed = duration;
    }

    synchronized List<Run> runs() {
        return List.copyOf(runs);
    }

    synchronized boolean correct() {
        return runs.stream().allMatch(Run::correct);
    }

    /** A figure's median in a column of a workload, or NaN. */
    double median(String section, String workload, String column, String key) {
        return median(of(section, workload, column).stream().map(run -> run.figures().get(key))
                .filter(Objects::nonNull).mapToDouble(Double::doubleValue));
    }

    /** The median of the rounds' ratios of a column over the baseline column, or NaN. */
    double ratio(String section, String workload, String column, String baseline, String key) {
        List<Run> bases = of(section, workload, baseline);
        return median(of(section, workload, column).stream().flatMap(run -> bases.stream()
                .filter(base -> base.round() == run.round() && run.figures().get(key) != null
                        && base.figures().getOrDefault(key, 0.0) != 0)
                .map(base -> run.figures().get(key) / base.figures().get(key))).mapToDouble(Double::doubleValue));
    }

    private static double median(DoubleStream values) {
        double[] sorted = values.sorted().toArray();
        int middle = sorted.length / 2;
        return sorted.length == 0 ? Double.NaN
                : sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** Whether a figure meets its target in a section's first column after the baseline; empty without one. */
    Optional<Boolean> met(String section, String workload, String key) {
        String target = TARGETS.get(section + "/" + workload + "/" + key);
        List<String> columns = columns(section);
        if (target == null || columns.size() < 2) {
            return Optional.empty();
        }
        boolean onRatio = target.endsWith("x");
        double value = onRatio ? ratio(section, workload, columns.get(1), columns.get(0), key)
                : median(section, workload, columns.get(1), key);
        double bound = Double.parseDouble(target.substring(3, target.length() - (onRatio ? 1 : 0)));
        return Double.isNaN(value) ? Optional.empty()
                : Optional.of(target.startsWith(">=") ? value >= bound : value <= bound);
    }

    private List<Run> of(String section, String workload, String column) {
        return runs().stream().filter(run -> run.section().equals(section) && run.workload().equals(workload)
                && run.column().equals(column)).toList();
    }

    /** What the runs of a section (and of a workload, unless null) name, each once, in the order of the runs. */
    private List<String> distinct(String section, String workload, Function<Run, Stream<String>> names) {
        return runs().stream().filter(run -> run.section().equals(section)
                && (workload == null || run.workload().equals(workload))).flatMap(names).distinct().toList();
    }

    private List<String> columns(String section) {
        return distinct(section, null, run -> Stream.of(run.column()));
    }

    private List<String> workloads(String section) {
        return distinct(section, null, run -> Stream.of(run.workload()));
    }

    /** Every figure key the runs of a workload have, in the order they first appear. */
    private List<String> keys(String section, String workload) {
        return distinct(section, workload, run -> run.figures().keySet().stream());
    }

    /** The readable tables. */
    String table() {
        StringBuilder table = new StringBuilder(String.format("Chatwire load benchmark, %s, %s mode, %d cores, Java "
                        + "%s, took %d s%n", LocalDate.now(), options.smoke() ? "smoke" : "full",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), elapsed.toSeconds()));
        for (String section : List.of(JAKARTA, JETTY_CORE, BACKENDS)) {
            List<String> columns = columns(section);
            if (columns.isEmpty()) {
                continue;
            }
            table.append(String.format("%n%s%n", heading(section)));
            for (String workload : workloads(section)) {
                table.append(workload).append('\n').append(String.format("%-36s", "figure"));
                columns.forEach(column -> table.append(String.format(column.equals(columns.get(0)) ? "%15s"
                        : "%15s%8s", column, "ratio")));
                table.append(String.format("%10s %4s%n", "target", "met"));
                for (String key : keys(section, workload)) {
                    if (MACHINE.contains(key)) {
                        continue;
                    }
                    table.append(String.format("%-36s", key));
                    for (String column : columns) {
                        table.append(String.format("%15s", number(median(section, workload, column, key))));
                        if (!column.equals(columns.get(0))) {
                            double ratio = ratio(section, workload, column, columns.get(0), key);
                            table.append(String.format("%8s", Double.isNaN(ratio) ? ""
                                    : String.format("%.2fx", ratio)));
                        }
                    }
                    String target = TARGETS.getOrDefault(section + "/" + workload + "/" + key, "");
                    table.append(String.format("%10s %4s", target,
                            met(section, workload, key).map(met -> met ? "yes" : "NO").orElse("")).stripTrailing());
                    table.append('\n');
                }
            }
        }
        table.append(String.format("delivery checks: %s%n", correct()
                ? "every run correct (nothing lost, duplicated, misrouted or reordered)" : "FAILED"));
        for (Run run : runs()) {
            if (!run.correct()) {
                table.append(String.format("  %s %s %s round %d: %s%n", run.section(), run.workload(), run.column(),
                        run.round(), run.checks()));
            }
        }
        return table.append(machineNote()).append('\n').toString();
    }

    /** How busy the rest of the machine was during the timed phases: how far to trust the ratios. */
    private String machineNote() {
        double others = runs().stream().mapToDouble(run -> run.figures().getOrDefault("other_cpu_percent", 0.0))
                .max().orElse(0);
        double steal = runs().stream().mapToDouble(run -> run.figures().getOrDefault("steal_percent", 0.0))
                .max().orElse(0);
        return String.format("during the timed phases other processes used up to %.0f%% of the CPU and the "
                + "hypervisor stole up to %.0f%%: %s", others, steal, others > 10 || steal > 10
                ? "the machine was shared: rerun on a quiet one before trusting the ratios" : "a quiet machine");
    }

    private String heading(String section) {
        return switch (section) {
            case JAKARTA -> "Chatwire against the bare server, Jakarta WebSocket on Jetty 12; ratios over bare";
            case JETTY_CORE -> "Chatwire on chat-transport-jetty against the bare server on Jetty's core WebSocket API";
            default -> String.format("deployed configuration: MongoDB (%s) and Redis, each behind a proxy adding %s ms "
                            + "each way; ratios over in-memory stores in the same run. Several nodes share this "
                            + "machine's cores with the backends and the load client: they measure the overhead of "
                            + "spreading a workload over nodes, not a speed-up.",
                    options.text("mongo-uri").isEmpty() ? "mongo-java-server stand-in with indexed $and lookups"
                            : "given by URI", options.text("backend-delay-ms"));
        };
    }

    private static String number(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        return Math.abs(value) >= 1000 ? String.format("%,.0f", value) : String.format("%.2f", value);
    }
}
