package dev.chatwire.benchmark;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The load benchmark: runs the example Chatwire server and the bare Jetty server ({@link BareServer}) each in a child
 * JVM with the same flags, alternately (bare, Chatwire, bare, Chatwire, ...) for every workload, drives them over real
 * WebSockets and HTTP on loopback, checks every delivery, and prints one JSON line per workload and the tables of
 * Chatwire's figures, the bare server's, their ratio and the target. {@code --backends} runs the deployed
 * configuration ({@link BackendsSuite}) instead, and {@code --with-backends} after the bare comparison.
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
    /** The servers of the comparison on Jakarta WebSocket, in the order they alternate: the baseline first. */
    private static final List<ServerKind> JAKARTA = List.of(ServerKind.BARE, ServerKind.CHATWIRE);
    /** The same on Jetty's core WebSocket API, for idle memory only. */
    private static final List<ServerKind> JETTY_CORE = List.of(ServerKind.BARE_CORE, ServerKind.CHATWIRE_JETTY);

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
                alternate(workload, JAKARTA, 0, 0);
                alternate(workload, JAKARTA, 1, options.integer("rounds"));
            }
            if (workload.equals("fanout") && options.runs("slow")) {
                alternate("slow", JAKARTA, 1, options.integer("slow-rounds"));
            }
        }
        if (options.runs("idle")) {
            alternate("idle", JAKARTA, 1, options.integer("idle-rounds"));
            if (!options.flag("no-jetty-core-idle")) {
                alternate("idle", JETTY_CORE, 1, 1);
            }
        }
        if (options.runsBackends()) {
            BackendsSuite.run(options, secret, report);
        }
        report.note(machineNote(report));
        report.elapsed(Duration.ofNanos(System.nanoTime() - started));
        Files.writeString(options.outDir().resolve("results.jsonl"), report.jsonLines());
        Files.writeString(options.outDir().resolve("results.txt"), report.table());
        return report;
    }

    /** Runs a workload on each server in turn, round after round; round 0 is the uncounted client warm-up. */
    private void alternate(String workload, List<ServerKind> servers, int firstRound, int lastRound) throws Exception {
        String section = servers.equals(JAKARTA) ? Report.JAKARTA : Report.JETTY_CORE;
        List<String> jvmArgs = options.jvmFlags(workload.equals("idle") ? "idle-jvm-args" : "server-jvm-args");
        for (int round = firstRound; round <= lastRound; round++) {
            for (ServerKind kind : round == 0 ? servers.subList(0, 1) : servers) {
                String name = workload + "-" + kind.label() + "-" + (round == 0 ? "client-warm-up" : round);
                String label = workload + " " + kind.label() + " " + (round == 0 ? "client warm-up"
                        : round + "/" + lastRound);
                try (ChildJvm server = ChildJvm.server(kind, kind.mainClass(), jvmArgs, Map.of(), secret,
                        options.outDir().resolve(name + ".log"));
                     LoadClient client = new LoadClient(List.of(server.port()), secret, options)) {
                    Progress.say(label, "server pid " + server.pid() + " on port " + server.port());
                    Workload run = new Workload(List.of(server), null, client, options, label, round);
                    for (Measured measured : Workloads.run(workload, run, false)) {
                        report.record(section, kind.label(), run, measured);
                    }
                }
            }
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
