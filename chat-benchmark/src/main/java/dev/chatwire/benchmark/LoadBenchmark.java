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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The load benchmark. It runs the example Chatwire server and the bare Jetty server ({@link BareServer}) in child JVMs
 * with the same flags, alternately (bare, Chatwire, bare, ...) for each workload, drives them over real WebSockets and
 * HTTP on loopback, checks every delivery, and prints a table per workload: each server's figures, their ratio and the
 * target. {@code --backends} runs the deployed configuration instead, and {@code --with-backends} after the bare
 * comparison: the example server on in-memory stores, then on MongoDB and Redis behind delay proxies ({@link
 * BackendProcess}) on one node and on each node count asked for. Each deployment gets its own servers, database and
 * load client, and runs the admission storm first: its chats are then the only ones stored, since the stand-in finds a
 * chat's newest seq at admission by scanning the chat's messages.
 *
 * <p>Exits with 0 when every delivery check passed, 1 when a message was lost, duplicated, misrouted or reordered (or
 * a run failed), and 2 for bad arguments. A missed target is reported, never a failure: this is a benchmark, not a
 * timed test.
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
        report.elapsed(Duration.ofNanos(System.nanoTime() - started));
        Files.writeString(options.outDir().resolve("results.txt"), report.table());
        return report;
    }

    /** Runs a workload on the baseline, then the other server, round after round; round 0 warms the client up. */
    private void alternate(String workload, ServerKind baseline, ServerKind other, int firstRound, int lastRound)
            throws Exception {
        String section = baseline == ServerKind.BARE ? Report.JAKARTA : Report.JETTY_CORE;
        for (int round = firstRound; round <= lastRound; round++) {
            for (ServerKind kind : round == 0 ? List.of(baseline) : List.of(baseline, other)) {
                deploy(section, kind.label, kind, 1, null, List.of(workload), workload + " " + kind.label + " "
                        + (round == 0 ? "client warm-up" : round + "/" + lastRound), round);
            }
        }
    }

    /** The deployed configuration: in-memory stores, then the backends on one node and on each node count. */
    private void backends() throws Exception {
        List<String> workloads = options.backendWorkloads();
        if (!options.smoke()) {
            // The load client runs in this JVM throughout: one uncounted pass compiles it before anything is counted.
            deploy(Report.BACKENDS, "in-memory", ServerKind.CHATWIRE, 1, null, workloads, "in-memory client warm-up",
                    0);
        }
        deploy(Report.BACKENDS, "in-memory", ServerKind.CHATWIRE, 1, null, workloads, "in-memory", 1);
        String mongoUri = options.text("mongo-uri");
        try (BackendStack stack = new BackendStack(options.outDir().resolve("backends"),
                mongoUri.isEmpty() ? null : mongoUri, Double.parseDouble(options.text("backend-delay-ms")))) {
            deploy(Report.BACKENDS, "1 node", ServerKind.CHATWIRE, 1, stack, workloads, "1 node", 1);
            for (int nodes : options.nodes()) {
                deploy(Report.BACKENDS, nodes + " nodes", ServerKind.CHATWIRE, nodes, stack, workloads,
                        nodes + " nodes", 1);
            }
        }
    }

    /**
     * Starts {@code nodes} servers of a kind (on the backends, unless null) and a load client for them, runs the
     * workloads one after the other, and records what each measured in a section's column. Logs go to a directory
     * named after the label.
     */
    private void deploy(String section, String column, ServerKind kind, int nodes, BackendStack stack,
                        List<String> workloads, String label, int round) throws Exception {
        String name = label.replace(' ', '-').replace('/', '-');
        Map<String, String> env = stack == null ? Map.of() : stack.serverEnv("chatwire_" + name.replace('-', '_'));
        List<String> jvmFlags = options.jvmFlags(workloads.contains("idle") ? "idle-jvm-args" : "server-jvm-args");
        List<CompletableFuture<ChildProcess>> starting = new ArrayList<>();
        for (int n = 0; n < nodes; n++) {
            Path logFile = options.outDir().resolve(name).resolve("node" + n + ".log");
            starting.add(CompletableFuture.supplyAsync(() -> BackendStack.unchecked(() -> ChildProcess.server(kind,
                    kind.mainClass, jvmFlags, env, secret, logFile))));
        }
        boolean deployed = section.equals(Report.BACKENDS);
        try {
            List<ChildProcess> servers = starting.stream().map(CompletableFuture::join).toList();
            List<Integer> ports = servers.stream().map(ChildProcess::port).toList();
            try (LoadClient client = new LoadClient(ports, secret, options.integer("rest-window"))) {
                Progress.say(label, "servers on ports " + ports + ", pids "
                        + servers.stream().map(ChildProcess::pid).toList());
                for (String workload : workloads) {
                    Workload run = new Workload(servers, stack, client, options, deployed ? workload + " " + label
                            : label, round);
                    for (Measured measured : run.measure(workload, deployed)) {
                        report.record(section, column, run, measured);
                    }
                }
            }
        } finally {
            starting.forEach(node -> node.thenAccept(ChildProcess::close));
        }
    }

    private static String randomSecret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
