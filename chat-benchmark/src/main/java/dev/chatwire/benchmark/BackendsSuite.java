package dev.chatwire.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The deployed-configuration suite ({@code --backends}): each of its workloads on the example server with in-memory
 * stores (one node), then on MongoDB and Redis behind {@link DelayProxy}s with one node and with each of the node
 * counts asked for, the nodes sharing the backends and the load client spreading sockets and REST calls over them.
 * The backends deployments share one MongoDB, Redis and pair of proxies; each deployment gets server JVMs, a database
 * and a load client of its own, and runs the workloads one after the other.
 */
final class BackendsSuite {

    /** A deployment: in-memory stores on one node, or backends shared by {@code nodes} nodes. */
    private record Deployment(boolean backends, int nodes) {
        String label() {
            return backends ? "backends x" + nodes : "in-memory";
        }
    }

    /** A workload's body against one deployment; returns what it measured, by report workload name. */
    @FunctionalInterface
    private interface Body {
        Map<String, Measured> run(Workload run) throws Exception;
    }

    /** A throughput and the keys the report reads it by. */
    private record Measured(Throughput throughput, String rateKey, String unit) {
    }

    private final BenchmarkOptions options;
    private final String secret;
    private final BackendsReport report;

    private BackendsSuite(BenchmarkOptions options, String secret) {
        this.options = options.forBackends();
        this.secret = secret;
        this.report = new BackendsReport(options.backends());
    }

    /** Runs the suite and returns its report. */
    static BackendsReport run(BenchmarkOptions options, String secret) throws Exception {
        return new BackendsSuite(options, secret).execute();
    }

    private BackendsReport execute() throws Exception {
        BackendOptions o = options.backends();
        List<Deployment> deployments = new ArrayList<>(List.of(new Deployment(true, 1)));
        o.nodes().forEach(nodes -> deployments.add(new Deployment(true, nodes)));
        List<String> workloads = BackendOptions.ALL_WORKLOADS.stream().filter(o.workloads()::contains).toList();
        Deployment inMemory = new Deployment(false, 1);
        if (!options.smoke()) {
            // The load client runs in this JVM throughout: one uncounted pass compiles it before anything is counted.
            runDeployment(inMemory, null, workloads, false);
        }
        runDeployment(inMemory, null, workloads, true);
        Path dir = options.outDir().resolve("backends");
        Files.createDirectories(dir);
        try (BackendStack stack = BackendStack.start(dir, o.mongoUri(), o.delayMillis())) {
            for (Deployment deployment : deployments) {
                runDeployment(deployment, stack, workloads, true);
            }
        }
        return report;
    }

    /**
     * Runs the workloads on one deployment, on the same nodes one after the other, in a database of its own: admission
     * first, whose chats are then the only ones stored, since the stand-in finds a chat's newest seq at admission by
     * scanning the chat's messages.
     */
    private void runDeployment(Deployment deployment, BackendStack stack, List<String> workloads, boolean counted)
            throws Exception {
        String label = deployment.label() + (counted ? "" : " client warm-up");
        String name = deployment.label().replace(' ', '-') + (counted ? "" : "-warm-up");
        Path dir = options.outDir().resolve(name);
        Files.createDirectories(dir);
        Map<String, String> env = new LinkedHashMap<>(options.serverEnv());
        if (stack != null) {
            env.putAll(stack.serverEnv("chatwire_" + name.replace('-', '_')));
        }
        List<CompletableFuture<ServerProcess>> starting = new ArrayList<>();
        for (int n = 0; n < deployment.nodes(); n++) {
            Path log = dir.resolve("node" + n + ".log");
            starting.add(CompletableFuture.supplyAsync(() -> startNode(env, log)));
        }
        List<ServerProcess> nodes = new ArrayList<>();
        try {
            for (CompletableFuture<ServerProcess> node : starting) {
                nodes.add(node.join());
            }
            try (LoadClient client = new LoadClient(nodes.stream().map(ServerProcess::port).toList(), secret,
                    options.sourceAddresses(), options.restWindow(), options.heartbeats())) {
                Progress.say(label, "servers on ports " + nodes.stream().map(ServerProcess::port).toList());
                for (String workload : workloads) {
                    if (deployment.nodes() > 1 && !options.backends().multiNode().contains(workload)) {
                        continue;
                    }
                    String runLabel = workload + " " + label;
                    Workload run = new Workload(nodes, stack, client, options, runLabel, name + "-" + workload,
                            options.outDir());
                    for (Map.Entry<String, Measured> result : body(workload).run(run).entrySet()) {
                        record(result.getKey(), deployment, result.getValue(), counted, runLabel);
                    }
                }
            }
        } finally {
            starting.forEach(node -> node.thenAccept(ServerProcess::close));
        }
    }

    private ServerProcess startNode(Map<String, String> env, Path log) {
        try {
            return ServerProcess.start(ServerKind.CHATWIRE, options.serverJvmArgs(), env, secret, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Body body(String workload) {
        return switch (workload) {
            case "hotchat" -> run -> Map.of("hotchat",
                    new Measured(FanOutWorkload.hotChat(run), "messages_per_s", "message"));
            case "admission" -> run -> Map.of("admission",
                    new Measured(AdmissionWorkload.run(run), "connects_per_s", "connect"));
            case "pairs" -> run -> {
                PairsWorkload.Result result = PairsWorkload.run(run);
                Map<String, Measured> measured = new LinkedHashMap<>();
                measured.put("pairs-socket", new Measured(result.socket(), "sends_per_s", "send"));
                measured.put("pairs-rest", new Measured(result.rest(), "sends_per_s", "send"));
                return measured;
            };
            case "fanout" -> run -> Map.of("fanout",
                    new Measured(FanOutWorkload.run(run), "deliveries_per_s", "delivery"));
            default -> throw new IllegalArgumentException(workload);
        };
    }

    private void record(String workload, Deployment deployment, Measured measured, boolean counted, String label) {
        Throughput t = measured.throughput();
        Map<String, Double> figures = t.figures(measured.rateKey(), measured.unit());
        double rate = figures.get(measured.rateKey());
        figures.put(measured.rateKey() + "_per_node", rate / deployment.nodes());
        if (!counted && !t.correct()) {
            throw new IllegalStateException(label + ": delivery check failed: " + t.checks());
        }
        String unit = workload.equals("fanout") || workload.equals("hotchat") ? "message" : measured.unit();
        if (counted) {
            report.add(new BackendsReport.Run(workload, deployment.backends() ? "backends" : "memory",
                    deployment.nodes(), unit, figures, t.correct(), t.checks()));
        }
        Progress.say(label, workload + " " + String.format("%s %.1f, p99 %.1f ms", measured.rateKey(), rate,
                t.latency().p99()) + (counted ? "" : " (not counted)")
                + (t.correct() ? "" : " DELIVERY CHECK FAILED: " + t.checks()));
    }
}
