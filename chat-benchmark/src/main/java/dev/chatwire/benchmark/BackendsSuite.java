package dev.chatwire.benchmark;

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
 * and a load client of its own, and runs the workloads one after the other, admission first: its chats are then the
 * only ones stored, since the stand-in finds a chat's newest seq at admission by scanning the chat's messages.
 */
final class BackendsSuite {

    private final Options options;
    private final String secret;
    private final Report report;

    private BackendsSuite(Options options, String secret, Report report) {
        this.options = options;
        this.secret = secret;
        this.report = report;
    }

    /** Runs the suite into the report's {@value Report#BACKENDS} section. */
    static void run(Options options, String secret, Report report) throws Exception {
        new BackendsSuite(options, secret, report).execute();
    }

    private void execute() throws Exception {
        if (!options.smoke()) {
            // The load client runs in this JVM throughout: one uncounted pass compiles it before anything is counted.
            runDeployment(null, 1, false);
        }
        runDeployment(null, 1, true);
        Path dir = options.outDir().resolve("backends");
        Files.createDirectories(dir);
        String mongoUri = options.text("mongo-uri");
        try (BackendStack stack = new BackendStack(dir, mongoUri.isEmpty() ? null : mongoUri,
                Double.parseDouble(options.text("backend-delay-ms")))) {
            runDeployment(stack, 1, true);
            for (int nodes : options.nodes()) {
                runDeployment(stack, nodes, true);
            }
        }
    }

    /** Runs the workloads on one deployment: in-memory stores when {@code stack} is null, else its backends. */
    private void runDeployment(BackendStack stack, int nodeCount, boolean counted) throws Exception {
        String column = stack == null ? "in-memory" : nodeCount + (nodeCount == 1 ? " node" : " nodes");
        String name = column.replace(' ', '-') + (counted ? "" : "-warm-up");
        Path dir = options.outDir().resolve(name);
        Files.createDirectories(dir);
        Map<String, String> env = stack == null ? Map.of() : stack.serverEnv("chatwire_" + name.replace('-', '_'));
        List<CompletableFuture<ChildJvm>> starting = new ArrayList<>();
        for (int n = 0; n < nodeCount; n++) {
            Path log = dir.resolve("node" + n + ".log");
            starting.add(CompletableFuture.supplyAsync(() -> BackendStack.unchecked(() -> ChildJvm.server(
                    ServerKind.CHATWIRE, ServerKind.CHATWIRE.mainClass(), options.jvmFlags("server-jvm-args"), env,
                    secret, log))));
        }
        try {
            List<ChildJvm> nodes = starting.stream().map(CompletableFuture::join).toList();
            List<Integer> ports = nodes.stream().map(ChildJvm::port).toList();
            try (LoadClient client = new LoadClient(ports, secret, options)) {
                String label = column + (counted ? "" : " client warm-up");
                Progress.say(label, "servers on ports " + ports);
                for (String workload : options.backendWorkloads()) {
                    if (nodeCount == 1 || options.runsOnSeveralNodes(workload)) {
                        Workload run = new Workload(nodes, stack, client, options, workload + " " + label,
                                counted ? 1 : 0);
                        for (Measured measured : Workloads.run(workload, run, true)) {
                            record(column, nodeCount, run, measured);
                        }
                    }
                }
            }
        } finally {
            starting.forEach(node -> node.thenAccept(ChildJvm::close));
        }
    }

    /** Records a run's figures with its rate per node. */
    private void record(String column, int nodeCount, Workload run, Measured measured) {
        Map<String, Double> figures = new LinkedHashMap<>(measured.figures());
        figures.put(measured.rateKey() + "_per_node", figures.get(measured.rateKey()) / nodeCount);
        report.record(Report.BACKENDS, column, run, new Measured(measured.workload(), measured.rateKey(), figures,
                measured.correct(), measured.checks()));
    }
}
