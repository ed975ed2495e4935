package dev.chatwire.benchmark;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The load benchmark: runs the example Chatwire server and the bare Jetty server ({@link BareServer}) each in a child
 * JVM with the same flags, alternately (bare, Chatwire, bare, Chatwire, ...) for every workload, drives them over real
 * WebSockets and HTTP on loopback, checks every delivery, and prints one JSON line per workload and a table of
 * Chatwire's figures, the bare server's, their ratio and the target. {@code --backends} runs the deployed
 * configuration ({@link BackendsSuite}) instead, and {@code --with-backends} after the bare comparison: the example
 * server on MongoDB and Redis behind delay proxies, on one node and on several, beside in-memory stores.
 *
 * <pre>
 * mvn -B -q install -DskipTests &amp;&amp; java -jar chat-benchmark/target/chatwire-benchmark.jar
 * java -jar chat-benchmark/target/chatwire-benchmark.jar --smoke
 * </pre>
 *
 * <p>Exits with 0 when every delivery check passed, 1 when a message was lost, duplicated, misrouted or reordered (or
 * a run failed), and 2 for bad arguments. Missed speed or memory targets are reported, never a failure: this is a
 * benchmark, not a timed test.
 */
public final class LoadBenchmark {

    private static final Logger log = LoggerFactory.getLogger(LoadBenchmark.class);

    private final BenchmarkOptions options;
    private final String secret = randomSecret();
    private final Report report;
    private final Map<ServerKind, List<HeapHistogram.Growth>> growth = new EnumMap<>(ServerKind.class);

    private LoadBenchmark(BenchmarkOptions options) {
        this.options = options;
        this.report = new Report(options);
    }

    /** Runs the benchmark; see {@link BenchmarkOptions#usage()} for the arguments. */
    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--help")) {
            System.out.println(BenchmarkOptions.usage());
            return;
        }
        BenchmarkOptions options;
        try {
            options = BenchmarkOptions.parse(args);
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
    static Report run(BenchmarkOptions options) throws Exception {
        return new LoadBenchmark(options).execute();
    }

    private Report execute() throws Exception {
        long started = System.nanoTime();
        Files.createDirectories(options.outDir());
        log.info("Chatwire load benchmark ({} mode): logs and results in {}", options.smoke() ? "smoke" : "full",
                options.outDir());
        log.info("server JVM flags: {}; for idle memory: {}", describe(options.serverJvmArgs()),
                describe(options.idleJvmArgs()));
        if (!options.serverEnv().isEmpty()) {
            log.info("server environment: {}", options.serverEnv());
        }
        if (options.runs("fanout")) {
            alternateAfterClientWarmUp("fanout", run -> {
                Throughput t = FanOutWorkload.run(run);
                add("fanout", run, t.figures("deliveries_per_s", "delivery"), t.correct(), t.checks());
            });
        }
        if (options.runs("slow")) {
            List<String> stalled = new ArrayList<>();
            alternate("slow", options.slowRounds(), options.servers(), run -> {
                SlowReadersWorkload.Result result = SlowReadersWorkload.run(run);
                add("slow", run, result.figures(), result.correct(), result.checks());
                stalled.add(String.format("  %s round %d: %s", run.server().kind().label(), run.round(),
                        result.sockets().describe()));
            });
            int healthy = options.slowMembers() - options.slowStalled();
            report.note(String.format("slow readers: deliveries to the %d healthy members of a %d-member chat while "
                    + "the %d others are online and read nothing, over the mean of a phase before they come online "
                    + "and one after they are gone; the stalled sockets:%n%s", healthy, options.slowMembers(),
                    options.slowStalled(), String.join("\n", stalled)));
        }
        if (options.runs("pairs")) {
            alternateAfterClientWarmUp("pairs", run -> {
                PairsWorkload.Result result = PairsWorkload.run(run);
                add("pairs-socket", run, result.socket().figures("sends_per_s", "send"),
                        result.socket().correct(), result.socket().checks());
                add("pairs-rest", run, result.rest().figures("sends_per_s", "send"), result.rest().correct(),
                        result.rest().checks());
            });
        }
        if (options.runs("engine") && options.servers().containsAll(BenchmarkOptions.BOTH)) {
            engineCost();
        }
        if (options.runs("idle")) {
            Body idleRun = run -> {
                IdleWorkload.Result result = IdleWorkload.run(run);
                IdleWorkload.Step headline = result.at(options.idleConnections());
                Map<String, Double> idle = new LinkedHashMap<>();
                idle.put("heap_kb_per_conn", headline.heapPerConnection() / 1024);
                idle.put("rss_kb_per_conn", headline.rssPerConnection() / 1024);
                String checks = result.verdict().describe() + ", " + result.errors() + " problems";
                add("idle", run, idle, result.correct(), checks);
                Map<String, Double> ladder = new LinkedHashMap<>();
                double min = Double.MAX_VALUE;
                double max = 0;
                for (IdleWorkload.Step step : result.steps()) {
                    ladder.put("heap_kb_per_conn@" + step.connections(), step.heapPerConnection() / 1024);
                    ladder.put("rss_kb_per_conn@" + step.connections(), step.rssPerConnection() / 1024);
                    min = Math.min(min, step.heapPerConnection());
                    max = Math.max(max, step.heapPerConnection());
                }
                ladder.put("heap_spread", min <= 0 ? Double.NaN : max / min);
                // What one more connection costs, free of the fixed growth (code cache, pools) the averages carry.
                List<IdleWorkload.Step> steps = result.steps();
                if (steps.size() >= 2) {
                    IdleWorkload.Step first = steps.get(0);
                    IdleWorkload.Step last = steps.get(steps.size() - 1);
                    double added = last.connections() - first.connections();
                    ladder.put("heap_kb_per_added_conn", (last.heapBytes() - first.heapBytes()) / added / 1024);
                    ladder.put("rss_kb_per_added_conn", (last.rssBytes() - first.rssBytes()) / added / 1024);
                }
                add("linearity", run, ladder, result.correct(), checks);
                if (!result.growth().isEmpty()) {
                    growth.put(run.server().kind(), result.growth());
                    if (run.server().kind() == ServerKind.BARE) {
                        report.note(growthNote(run, result));
                    }
                }
                if (!result.nativeGrowth().isEmpty()) {
                    report.note(String.format("committed memory per idle connection by JVM area, %s (jcmd "
                            + "VM.native_memory summary):%n  %s", run.server().kind().label(),
                            String.join("\n  ", result.nativeGrowth())));
                }
            };
            alternate("idle", options.idleRounds(), options.servers(), idleRun);
            if (options.jettyCoreIdle()) {
                List<ServerKind> jettyCore = List.of(ServerKind.BARE_CORE, ServerKind.CHATWIRE_JETTY).stream()
                        .filter(kind -> !options.servers().contains(kind)).toList();
                alternate("idle", options.idleRounds(), jettyCore, idleRun);
            }
        }
        for (ServerKind chatwire : List.of(ServerKind.CHATWIRE, ServerKind.CHATWIRE_JETTY)) {
            if (growth.containsKey(chatwire) && growth.containsKey(chatwire.baseline())) {
                report.note(extraGrowthNote(chatwire, growth.get(chatwire), growth.get(chatwire.baseline())));
            }
        }
        if (options.runs("serialization") && options.servers().contains(ServerKind.CHATWIRE)) {
            serialization();
        }
        if (options.backends().run()) {
            report.backends(BackendsSuite.run(options, secret));
        }
        report.note(machineNote(report));
        report.elapsed(Duration.ofNanos(System.nanoTime() - started));
        Files.writeString(options.outDir().resolve("results.jsonl"), report.jsonLines());
        Files.writeString(options.outDir().resolve("results.txt"), report.table());
        return report;
    }

    private static String describe(List<String> jvmArgs) {
        return jvmArgs.isEmpty() ? "(JVM defaults)" : String.join(" ", jvmArgs);
    }

    /** A workload's body, run against one server. */
    @FunctionalInterface
    private interface Body {
        void run(Workload run) throws Exception;
    }

    /**
     * Runs a workload once against the first server, counting none of its figures, and then on each server in turn.
     * The load client runs in this JVM throughout: without that run, the first server measured paid for compiling
     * the client (in pairs, twice the client CPU per send of later rounds, and a server that looked 30-50% slower).
     */
    private void alternateAfterClientWarmUp(String workload, Body body) throws Exception {
        withServer(workload, options.servers().get(0), 0, options.rounds(), body);
        alternate(workload, body);
    }

    /** Runs a workload on each server in turn, round after round. */
    private void alternate(String workload, Body body) throws Exception {
        alternate(workload, options.rounds(), options.servers(), body);
    }

    private void alternate(String workload, int rounds, List<ServerKind> servers, Body body) throws Exception {
        for (int round = 1; round <= rounds; round++) {
            for (ServerKind kind : servers) {
                withServer(workload, kind, round, rounds, body);
            }
        }
    }

    private void withServer(String workload, ServerKind kind, int round, int rounds, Body body) throws Exception {
        String name = workload + "-" + kind.label() + "-" + (round == 0 ? "client-warm-up" : round);
        String label = workload + " " + kind.label() + " " + (round == 0 ? "client warm-up" : round + "/" + rounds);
        List<String> jvmArgs = new ArrayList<>(options.jvmArgsFor(workload));
        if (options.profile()) {
            jvmArgs.addAll(JfrSummary.recordingFlags(options.outDir(), 5_000, false));
        }
        try (ServerProcess server = ServerProcess.start(kind, jvmArgs, options.serverEnv(), secret,
                options.outDir().resolve(name + ".log"));
             LoadClient client = new LoadClient(server.port(), secret, options.sourceAddresses(),
                     options.restWindow(), options.heartbeats())) {
            Progress.say(label, "server pid " + server.pid() + " on port " + server.port());
            Workload run = new Workload(server, client, options, label, name, options.outDir(), round);
            body.run(run);
            if (options.profile()) {
                profile(run);
            }
        }
    }

    /** Dumps the server's recording and writes where its time and memory went in each timed phase. */
    private static void profile(Workload run) throws Exception {
        Path recording = run.outDir().resolve(run.name() + ".jfr");
        JfrSummary.dump(run.server(), recording);
        for (Workload.Phase phase : run.phases()) {
            if (phase.name().contains("warm-up")) {
                continue;
            }
            String summary = JfrSummary.read(recording, phase.from(), phase.to()).describe(25);
            Path file = run.outDir().resolve(run.name() + "-" + phase.name().replace(' ', '-') + "-profile.txt");
            Files.writeString(file, summary);
            log.info("profile of {}, {} phase, in {}", run.label(), phase.name(), file);
        }
    }

    private void serialization() throws Exception {
        String label = "serialization chatwire";
        List<String> jvmArgs = new ArrayList<>(options.serverJvmArgs());
        jvmArgs.addAll(SerializationCheck.jvmFlags(options.outDir()));
        try (ServerProcess server = ServerProcess.start(ServerKind.CHATWIRE, jvmArgs, options.serverEnv(), secret,
                options.outDir().resolve("serialization-chatwire.log"));
             LoadClient client = new LoadClient(server.port(), secret, options.sourceAddresses(),
                     options.restWindow(), options.heartbeats())) {
            Progress.say(label, "server pid " + server.pid() + " on port " + server.port() + ", recording with JFR");
            Workload run = new Workload(server, client, options, label, "serialization-chatwire", options.outDir(), 1);
            SerializationCheck.Result result = SerializationCheck.run(run,
                    options.outDir().resolve("serialization-chatwire.jfr"));
            Map<String, Double> figures = new LinkedHashMap<>();
            figures.put("encodes_per_publish", result.encodesPerPublish());
            figures.put("response_encodes_per_publish", result.responseEncodes());
            figures.put("bytes_per_encode", result.bytesPerEncode());
            figures.put("encode_cpu_percent", result.encodeCpuPercent());
            figures.put("members", (double) result.members());
            report.add(new Report.Run("serialization", ServerKind.CHATWIRE, 1, figures,
                    result.throughput().correct(), result.throughput().checks()));
            report.note(String.format("serializations per publish: JFR allocation samples under the codec's "
                            + "serializing methods during a %d-member fan-out, divided by what serializing one message "
                            + "into its frame allocates (%.0f B): %.2f (%d if it encoded per recipient)",
                    result.members(), result.bytesPerEncode(),
                    result.encodesPerPublish(), result.members()));
        }
    }

    /**
     * The pairs workload's socket sends without sockets ({@link EngineCost}), in a JVM of its own per server and round,
     * with the speed workloads' JVM flags, alternating.
     */
    private void engineCost() throws Exception {
        int warmRounds = options.smoke() ? 2 : 40;
        int timedRounds = options.smoke() ? 3 : 100;
        for (int round = 1; round <= options.rounds(); round++) {
            for (ServerKind kind : BenchmarkOptions.BOTH) {
                String label = "engine " + kind.label() + " " + round + "/" + options.rounds();
                List<String> command = ServerProcess.javaCommand(options.serverJvmArgs(), EngineCost.class.getName(),
                        kind == ServerKind.BARE ? "bare" : "chatwire", Integer.toString(warmRounds),
                        Integer.toString(timedRounds), Integer.toString(options.textLength()));
                Path logFile = options.outDir().resolve("engine-" + kind.label() + "-" + round + ".log");
                Process process = new ProcessBuilder(command).redirectError(logFile.toFile()).start();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (process.waitFor() != 0) {
                    throw new IllegalStateException(label + " failed; see " + logFile + ": " + output);
                }
                EngineCost.Result result = EngineCost.Result.parse(output);
                Map<String, Double> figures = new LinkedHashMap<>();
                figures.put("thread_cpu_us_per_send", result.threadMicrosPerSend());
                figures.put("process_cpu_us_per_send", result.processMicrosPerSend());
                report.add(new Report.Run("engine", kind, round, figures, result.correct(), result.describe()));
                Progress.say(label, "engine " + figures + (result.correct() ? "" : " CHECK FAILED: "
                        + result.describe()));
            }
        }
    }

    /** Records a run's figures; a client warm-up run (round 0) is only checked. */
    private void add(String workload, Workload run, Map<String, Double> figures, boolean correct, String checks) {
        if (run.round() == 0) {
            if (!correct) {
                throw new IllegalStateException(run.label() + ": delivery check failed: " + checks);
            }
            Progress.say(run.label(), workload + " " + figures + " (not counted)");
            return;
        }
        report.add(new Report.Run(workload, run.server().kind(), run.round(), figures, correct, checks));
        Progress.say(run.label(), workload + " " + figures + (correct ? "" : " DELIVERY CHECK FAILED: " + checks));
    }

    private static String growthNote(Workload run, IdleWorkload.Result result) {
        double total = result.growth().stream().mapToDouble(HeapHistogram.Growth::bytesPerSocket).sum();
        StringBuilder note = new StringBuilder(String.format("heap per idle connection, %s: %.0f B in all (jcmd "
                + "GC.class_histogram, %,d connections against none); the largest classes:%n",
                run.server().kind().label(), total, run.options().idleConnections()));
        for (HeapHistogram.Growth growth : result.growth().subList(0, Math.min(12, result.growth().size()))) {
            note.append(String.format("  %8.0f B  %6.2f objects  %s%n", growth.bytesPerSocket(),
                    growth.instancesPerSocket(), growth.className()));
        }
        return note.toString().stripTrailing();
    }

    /** What Chatwire holds per idle connection beyond what the bare server holds, by class. */
    private static String extraGrowthNote(ServerKind kind, List<HeapHistogram.Growth> chatwire,
                                          List<HeapHistogram.Growth> bare) {
        Map<String, double[]> byClass = new LinkedHashMap<>();
        chatwire.forEach(g -> byClass.computeIfAbsent(g.className(), c -> new double[4])[0] = g.bytesPerSocket());
        chatwire.forEach(g -> byClass.get(g.className())[2] = g.instancesPerSocket());
        bare.forEach(g -> byClass.computeIfAbsent(g.className(), c -> new double[4])[1] = g.bytesPerSocket());
        bare.forEach(g -> byClass.get(g.className())[3] = g.instancesPerSocket());
        double total = byClass.values().stream().mapToDouble(v -> v[0] - v[1]).sum();
        StringBuilder note = new StringBuilder(String.format("%s's heap per idle connection beyond %s's: %.0f B in "
                + "all; the largest differences by class:%n", kind.label(), kind.baseline().label(), total));
        byClass.entrySet().stream()
                .sorted((a, b) -> Double.compare(b.getValue()[0] - b.getValue()[1], a.getValue()[0] - a.getValue()[1]))
                .limit(12)
                .forEach(e -> note.append(String.format("  %+8.0f B  %+6.2f objects  %s%n", e.getValue()[0]
                        - e.getValue()[1], e.getValue()[2] - e.getValue()[3], e.getKey())));
        return note.toString().stripTrailing();
    }

    /** How busy the rest of the machine was during the timed phases: how far to trust the ratios. */
    private static String machineNote(Report report) {
        double others = 0;
        double steal = 0;
        List<Map<String, Double>> figures = new ArrayList<>();
        report.runs().forEach(run -> figures.add(run.figures()));
        report.backends().ifPresent(backends -> backends.runs().forEach(run -> figures.add(run.figures())));
        for (Map<String, Double> run : figures) {
            others = Math.max(others, run.getOrDefault("other_cpu_percent", 0.0));
            steal = Math.max(steal, run.getOrDefault("steal_percent", 0.0));
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
