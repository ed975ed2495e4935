package dev.chatwire.benchmark;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The load benchmark: runs the example Chatwire server and the bare Jetty server ({@link BareServer}) each in a child
 * JVM with the same flags, alternately (bare, Chatwire, bare, Chatwire, ...) for every workload, drives them over real
 * WebSockets and HTTP on loopback, checks every delivery, and prints one JSON line per workload and the tables of
 * Chatwire's figures, the bare server's, their ratio and the target.
 *
 * <p>{@code --backends} runs the deployed configuration instead, and {@code --with-backends} after the bare
 * comparison: each of its workloads on the example server with in-memory stores (one node), then on MongoDB and Redis
 * behind {@link DelayProxy}s with one node and with each of the node counts asked for, sharing one
 * {@link BackendStack}. Each deployment gets server JVMs, a database and a load client of its own, and runs the
 * workloads one after the other, admission first: its chats are then the only ones stored, since the stand-in finds a
 * chat's newest seq at admission by scanning the chat's messages.
 *
 * <pre>
 * mvn -B -q -pl chat-benchmark -am package -DskipTests &amp;&amp; \
 *     java -jar chat-benchmark/target/chatwire-benchmark.jar
 * </pre>
 *
 * <p>Exits with 0 when every delivery check passed, 1 when a message was lost, duplicated, misrouted or reordered (or
 * a run failed), and 2 for bad arguments. Missed speed or memory targets are reported, never a failure: this is a
 * benchmark, not a timed test.
 */
public final class LoadBenchmark {

    private static final Logger log = LoggerFactory.getLogger(LoadBenchmark.class);

    private final Options options;
    private final String secret = randomSecret();
    private final Report report;

    private LoadBenchmark(Options options) {
        this.options = options;
        this.report = new Report(options);
    }

    /** Runs the benchmark; see {@link Options#usage()} for the arguments. */
    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--help")) {
            System.out.println(Options.usage());
            return;
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Report report;
        try {
            report = run(options);
        } catch (Exception e) {
            log.error("the benchmark failed", e);
            System.exit(1);
            return;
        }
        System.out.print(report.jsonLines());
        System.out.println();
        System.out.print(report.table());
        System.exit(report.correct() ? 0 : 1);
    }

    /** Runs every workload the options name and returns the report. */
    static Report run(Options options) throws Exception {
        return new LoadBenchmark(options).execute();
    }

    private Report execute() throws Exception {
        long started = System.nanoTime();
        Files.createDirectories(options.outDir());
        log.info("Chatwire load benchmark ({} mode): logs and results in {}", options.smoke() ? "smoke" : "full",
                options.outDir());
        for (String workload : List.of("fanout", "pairs")) {
            if (options.runs(workload)) {
                // The load client runs in this JVM: one uncounted run compiles it, or the first server measured
                // pays for that (in pairs, twice the client CPU per send and a server that looked 30-50% slower).
                alternate(workload, ServerKind.BARE, ServerKind.CHATWIRE, 0, 0);
                alternate(workload, ServerKind.BARE, ServerKind.CHATWIRE, 1, options.integer("rounds"));
            }
            if (workload.equals("fanout") && options.runs("slow")) {
                alternate("slow", ServerKind.BARE, ServerKind.CHATWIRE, 1, 1);
            }
        }
        if (options.runs("idle")) {
            alternate("idle", ServerKind.BARE, ServerKind.CHATWIRE, 1, 1);
            alternate("idle", ServerKind.BARE_CORE, ServerKind.CHATWIRE_JETTY, 1, 1);
        }
        if (options.runsBackends()) {
            backends();
        }
        report.note(machineNote(report));
        report.elapsed(Duration.ofNanos(System.nanoTime() - started));
        Files.writeString(options.outDir().resolve("results.jsonl"), report.jsonLines());
        Files.writeString(options.outDir().resolve("results.txt"), report.table());
        return report;
    }

    /** Runs a workload on the baseline, then the other server, round after round; round 0 warms the client up. */
    private void alternate(String workload, ServerKind baseline, ServerKind other, int firstRound, int lastRound)
            throws Exception {
        String section = baseline == ServerKind.BARE ? Report.JAKARTA : Report.JETTY_CORE;
        String jvmArgs = workload.equals("idle") ? "idle-jvm-args" : "server-jvm-args";
        for (int round = firstRound; round <= lastRound; round++) {
            for (ServerKind kind : round == 0 ? List.of(baseline) : List.of(baseline, other)) {
                String label = workload + " " + kind.label() + " " + (round == 0 ? "client warm-up"
                        : round + "/" + lastRound);
                deploy(section, kind.label(), kind, 1, Map.of(), jvmArgs, options.outDir().resolve(label
                        .replace(' ', '-').replace('/', '-')), List.of(workload), label, round, null);
            }
        }
    }

    /** The deployed configuration: in-memory stores, then the backends on one node and on each node count. */
    private void backends() throws Exception {
        if (!options.smoke()) {
            // The load client runs in this JVM throughout: one uncounted pass compiles it before anything is counted.
            deployment(null, 1, 0);
        }
        deployment(null, 1, 1);
        Path dir = options.outDir().resolve("backends");
        Files.createDirectories(dir);
        String mongoUri = options.text("mongo-uri");
        try (BackendStack stack = new BackendStack(dir, mongoUri.isEmpty() ? null : mongoUri,
                Double.parseDouble(options.text("backend-delay-ms")))) {
            deployment(stack, 1, 1);
            for (int nodes : options.nodes()) {
                deployment(stack, nodes, 1);
            }
        }
    }

    private void deployment(BackendStack stack, int nodes, int round) throws Exception {
        String column = stack == null ? "in-memory" : nodes + (nodes == 1 ? " node" : " nodes");
        String name = column.replace(' ', '-') + (round == 0 ? "-warm-up" : "");
        List<String> workloads = options.backendWorkloads().stream()
                .filter(workload -> nodes == 1 || options.runsOnSeveralNodes(workload)).toList();
        deploy(Report.BACKENDS, column, ServerKind.CHATWIRE, nodes, stack == null ? Map.of()
                        : stack.serverEnv("chatwire_" + name.replace('-', '_')), "server-jvm-args",
                options.outDir().resolve(name), workloads, column + (round == 0 ? " client warm-up" : ""), round,
                stack);
    }

    /**
     * Starts {@code nodes} servers of a kind and a load client for them, runs the workloads one after the other, and
     * records what each measured in a section's column, with its rate per node.
     */
    private void deploy(String section, String column, ServerKind kind, int nodes, Map<String, String> env,
                        String jvmArgs, Path dir, List<String> workloads, String label, int round,
                        BackendStack stack) throws Exception {
        List<CompletableFuture<ChildJvm>> starting = new ArrayList<>();
        for (int n = 0; n < nodes; n++) {
            Path logFile = dir.resolve("node" + n + ".log");
            starting.add(CompletableFuture.supplyAsync(() -> BackendStack.unchecked(() -> ChildJvm.server(kind,
                    kind.mainClass(), options.jvmFlags(jvmArgs), env, secret, logFile))));
        }
        try {
            List<ChildJvm> servers = starting.stream().map(CompletableFuture::join).toList();
            List<Integer> ports = servers.stream().map(ChildJvm::port).toList();
            try (LoadClient client = new LoadClient(ports, secret, options)) {
                Progress.say(label, "servers on ports " + ports + ", pids "
                        + servers.stream().map(ChildJvm::pid).toList());
                for (String workload : workloads) {
                    String runLabel = section.equals(Report.BACKENDS) ? workload + " " + label : label;
                    Workload run = new Workload(servers, stack, client, options, runLabel, round);
                    for (Measured measured : Workloads.run(workload, run, section.equals(Report.BACKENDS))) {
                        Map<String, Double> figures = new LinkedHashMap<>(measured.figures());
                        if (section.equals(Report.BACKENDS)) {
                            figures.put(measured.rateKey() + "_per_node", figures.get(measured.rateKey()) / nodes);
                        }
                        report.record(section, column, run, new Measured(measured.workload(), measured.rateKey(),
                                figures, measured.correct(), measured.checks()));
                    }
                }
            }
        } finally {
            starting.forEach(node -> node.thenAccept(ChildJvm::close));
        }
    }

    /** How busy the rest of the machine was during the timed phases: how far to trust the ratios. */
    private static String machineNote(Report report) {
        double others = 0;
        double steal = 0;
        for (Report.Run run : report.runs()) {
            others = Math.max(others, run.figures().getOrDefault("other_cpu_percent", 0.0));
            steal = Math.max(steal, run.figures().getOrDefault("steal_percent", 0.0));
        }
        String verdict = others > 10 || steal > 10
                ? "the machine was shared: rerun on a quiet one before trusting the ratios" : "a quiet machine";
        return String.format("during the timed phases other processes used up to %.0f%% of the CPU and the "
                + "hypervisor stole up to %.0f%%: %s", others, steal, verdict);
    }

    private static String randomSecret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
