package dev.chatwire.benchmark;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a benchmark run does; {@link #fullRun()} is the full run, {@link #smokeRun()} the seconds-long check CI runs.
 *
 * @param smoke              tiny sizes, one round: checks that the tool runs and counts right, never its speed
 * @param rounds             how many times each server runs each workload, alternating bare and Chatwire
 * @param idleRounds         the same for the idle workload, whose memory per connection varies by under 1% between
 *                           rounds while a round takes a minute per server
 * @param slowRounds         the same for the slow-readers workload, whose figures are each server's own ratios (with
 *                           stalled readers over without), not one server's figure over the other's
 * @param workloads          which of {@link #ALL_WORKLOADS} to run
 * @param fanoutMembers      N: members of the fan-out chat, one socket each
 * @param fanoutMessages     M: messages posted through REST in the timed phase
 * @param fanoutWarmup       messages posted before the timed phase (of the slow-readers workload too)
 * @param fanoutWindow       messages posted but not yet delivered to every member, at most (to every healthy member,
 *                           in the slow-readers workload)
 * @param fanoutBudget       the longest the timed fan-out may post for: on a slow machine fewer than M messages go
 *                           (the same bound applies to each timed phase of the slow-readers workload)
 * @param slowMembers        N: members of the slow-readers chat, one socket each
 * @param slowStalled        S: how many of them come online and stop reading for the second of its three timed phases
 * @param slowMessages       M: messages posted through REST in each of its three timed phases
 * @param slowTextLength     the length of its message texts: long enough that M of them fill a stalled socket's
 *                           buffers and Chatwire's 1 MiB outbound queue
 * @param slowHold           how long the stalled sockets stay stalled at least, before they read again and find what
 *                           the server did with them: longer than Chatwire's 10 s send timeout
 * @param pairs              P: direct chats of two users, one socket each
 * @param pairMessages       K: messages each user sends, once over the socket and once over REST
 * @param pairWarmup         messages each user sends over the socket before its timed phase, at most 15 per second so
 *                           that the timed phase starts with Chatwire's full command burst: three times as many as in
 *                           it by default, since after 20 the server JVMs were still compiling the send path (at
 *                           most five of them before the REST phase, whose path is warm by then but for the servlet)
 * @param restWindow         REST calls in flight at once (pairs, chat creation, probes)
 * @param idleConnections    C: the idle workload's headline connection count
 * @param idleHold           how long each connection count of the ladder is held before it is measured
 * @param ladder             the connection counts idle memory is measured at, for linearity (C among them)
 * @param textLength         the length of every message text
 * @param connectConcurrency socket handshakes in flight at once
 * @param sourceAddresses    loopback source addresses the sockets are spread over
 * @param serverJvmArgs      flags for both servers' JVMs in the speed workloads (fan-out, slow readers, pairs,
 *                           serialization)
 * @param idleJvmArgs        flags for both servers' JVMs in the idle workload
 * @param serverEnv          environment variables for both servers (the bare server's experiment knobs)
 * @param stall              how long a count may stand still before the run is declared stuck (a lost message)
 * @param servers            which servers run, in the order they alternate (both unless narrowed for experiments)
 * @param jettyCoreIdle      whether the idle workload also runs Chatwire on Jetty's core WebSocket API against the bare
 *                           server on that API ({@code chatwire-jetty} and {@code bare-core}), one round: the
 *                           transport for hosts that need the least memory per connection
 * @param heartbeats         whether sockets send a heartbeat (an unsolicited pong) every 20 s
 * @param profile            record each server with JFR and print where its time and memory go
 * @param outDir             where logs, results and recordings go
 * @param backends           the deployed-configuration suite ({@code --backends}): MongoDB and Redis, several nodes
 */
record BenchmarkOptions(boolean smoke, int rounds, int idleRounds, int slowRounds, Set<String> workloads,
                        int fanoutMembers,
                        int fanoutMessages,
                        int fanoutWarmup, int fanoutWindow, Duration fanoutBudget, int slowMembers, int slowStalled,
                        int slowMessages, int slowTextLength, Duration slowHold, int pairs, int pairMessages,
                        int pairWarmup, int restWindow, int idleConnections, Duration idleHold, List<Integer> ladder,
                        int textLength, int connectConcurrency, int sourceAddresses,
                        List<String> serverJvmArgs, List<String> idleJvmArgs, Map<String, String> serverEnv,
                        Duration stall,
                        List<ServerKind> servers, boolean jettyCoreIdle, boolean heartbeats, boolean profile,
                        Path outDir, BackendOptions backends) {

    /** The servers of a comparison, in the order they alternate. */
    static final List<ServerKind> BOTH = List.of(ServerKind.BARE, ServerKind.CHATWIRE);

    /** Every workload, in the order they run. */
    static final List<String> ALL_WORKLOADS = List.of("fanout", "slow", "pairs", "engine", "idle",
            "serialization");

    /**
     * The idle workload's JVM flags unless others are given: a heap that gives back what it does not use (G1 keeps up
     * to 70% of the heap free by default), so that resident memory follows what the connections hold. Both servers get
     * them. The speed workloads run on JVM defaults: a heap held that tight makes a server that keeps its messages in
     * memory (Chatwire's in-memory store) run G1's concurrent marking every second or two.
     */
    static final List<String> IDLE_JVM_ARGS = List.of("-XX:MaxHeapFreeRatio=10", "-XX:MinHeapFreeRatio=5");

    /** Checks the options. */
    BenchmarkOptions {
        workloads = Set.copyOf(workloads);
        ladder = List.copyOf(ladder.stream().sorted().distinct().toList());
        serverJvmArgs = List.copyOf(serverJvmArgs);
        idleJvmArgs = List.copyOf(idleJvmArgs);
        serverEnv = Map.copyOf(serverEnv);
        servers = List.copyOf(servers);
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no server to run");
        }
        for (String workload : workloads) {
            if (!ALL_WORKLOADS.contains(workload)) {
                throw new IllegalArgumentException("unknown workload '" + workload + "'; known: " + ALL_WORKLOADS);
            }
        }
        if (rounds < 1 || idleRounds < 1 || fanoutMembers < 2 || fanoutMessages < 1 || fanoutWindow < 1 || pairs < 1
                || pairMessages < 1 || restWindow < 1 || idleConnections < 2 || connectConcurrency < 1
                || sourceAddresses < 1 || fanoutWarmup < 0 || pairWarmup < 0 || slowMessages < 1
                || slowTextLength < 1 || slowHold.isNegative()) {
            throw new IllegalArgumentException("sizes must be positive");
        }
        if (slowStalled < 1 || slowStalled > slowMembers - 2) {
            throw new IllegalArgumentException("the slow-readers chat needs at least one stalled member and two "
                    + "healthy ones (the sender and a reader)");
        }
        if (slowTextLength > 16_000) {
            throw new IllegalArgumentException("slow text length must be at most 16000 (Chatwire's longest text)");
        }
        if (pairMessages > 40) {
            // Chatwire's default command burst per connection: the timed sends are not paced.
            throw new IllegalArgumentException("pair messages must be at most 40 (Chatwire's command burst)");
        }
        if (!ladder.contains(idleConnections)) {
            throw new IllegalArgumentException("the linearity ladder must contain the idle connection count");
        }
        int chatSize = IdleWorkload.CHAT_SIZE;
        if (ladder.stream().anyMatch(count -> count < chatSize || count % chatSize != 0)) {
            throw new IllegalArgumentException("idle connection counts must be multiples of " + chatSize
                    + ": users come in chats of that many");
        }
    }

    /**
     * The full run: every workload, two rounds per server (one for idle memory), the sizes except M (500
     * rather than 2,000 fan-out messages, and at most 25 s of posting) so that the whole run stays under ten minutes
     * on two shared cores.
     */
    static BenchmarkOptions fullRun() {
        return new BenchmarkOptions(false, 2, 1, 1, Set.copyOf(ALL_WORKLOADS), 1000, 500, 100, 8,
                Duration.ofSeconds(25), 200, 10, 1000, 4096, Duration.ofSeconds(12), 1000, 20, 60, 64, 10_000,
                Duration.ofSeconds(20), List.of(10_000, 19_000), 80, 200, 4,
                List.of(), IDLE_JVM_ARGS,
                Map.of(), Duration.ofSeconds(20), BOTH, true, true, false, defaultOutDir(), BackendOptions.full(false));
    }

    /**
     * These options with the deployed-configuration suite's sizes of pairs and fan-out, for its runs.
     */
    BenchmarkOptions forBackends() {
        return new BenchmarkOptions(smoke, 1, 1, 1, workloads, backends.fanoutMembers(), backends.fanoutMessages(),
                fanoutWarmup, fanoutWindow, fanoutBudget, slowMembers, slowStalled, slowMessages, slowTextLength,
                slowHold, backends.pairs(), backends.pairMessages(), backends.pairWarmup(), restWindow,
                idleConnections, idleHold, ladder, textLength, connectConcurrency, sourceAddresses, serverJvmArgs,
                idleJvmArgs, serverEnv, stall, servers, jettyCoreIdle, heartbeats, profile, outDir, backends);
    }

    /**
     * The smoke run: both servers, every workload, tiny sizes, a few seconds each; the stalled sockets are not held
     * past the send timeouts, so both servers keep them and they catch up.
     */
    static BenchmarkOptions smokeRun() {
        return new BenchmarkOptions(true, 1, 1, 1, Set.copyOf(ALL_WORKLOADS), 20, 100, 20, 8, Duration.ofMinutes(10),
                20, 2,
                100, 4096, Duration.ZERO, 10, 5, 2, 8, 40, Duration.ofSeconds(1), List.of(20, 40), 80,
                50, 2, List.of(), IDLE_JVM_ARGS, Map.of(), Duration.ofSeconds(5), BOTH, true, true, false,
                defaultOutDir(), BackendOptions.smoke());
    }

    private static Path defaultOutDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "chatwire-benchmark",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    /** The usage text. */
    static String usage() {
        return String.join("\n",
                "usage: java -jar chat-benchmark/target/chatwire-benchmark.jar [options]",
                "  --help                    this text",
                "  --smoke                   tiny sizes, one round: checks the tool, not the speed",
                "  --rounds N                runs per server per workload, alternating (default 2)",
                "  --idle-rounds N           the same for the idle workload (default 1)",
                "  --slow-rounds N           the same for the slow-readers workload (default 1)",
                "  --only a,b                workloads: fanout, slow, pairs, engine, idle, serialization (default all)",
                "  --fanout-members N        members of the fan-out chat (1000)",
                "  --fanout-messages M       REST messages posted to it (500; the issue's 2000 adds two minutes)",
                "  --fanout-seconds S        stop posting after S seconds on a slow machine (25; also per slow phase)",
                "  --fanout-window W         messages in flight, posted but not delivered to all (8; also slow)",
                "  --slow-members N          members of the slow-readers chat (200)",
                "  --slow-stalled S          how many of them connect and stop reading for the second phase (10)",
                "  --slow-messages M         REST messages posted in each of its three phases (1000)",
                "  --slow-text L             characters per slow-readers message (4096)",
                "  --slow-hold-seconds H     keep the stalled sockets stalled at least H seconds (12)",
                "  --pairs P                 direct chats of two users (1000)",
                "  --pair-messages K         messages per user, over the socket and over REST (20)",
                "  --pair-warmup W           socket sends per user before the timed ones, at most 15/s (60)",
                "  --rest-window R           REST calls in flight (64)",
                "  --idle-connections C      idle connections held 20 s (10000)",
                "  --idle-hold-seconds S     how long each count of the ladder is held (20)",
                "  --ladder a,b,c            connection counts for linearity (10000,19000)",
                "  --server-jvm-args \"...\"   flags for the server JVMs of every workload but idle (default none)",
                "  --idle-jvm-args \"...\"     flags for the idle workload's server JVMs (default",
                "                            -XX:MaxHeapFreeRatio=10 -XX:MinHeapFreeRatio=5; \"\" for JVM defaults)",
                "  --servers bare,chatwire   which servers run, alternating (experiments: bare-locked, bare-serial,",
                "                            bare-serial-after-lock, bare-core, chatwire-jetty: Chatwire with",
                "                            CHAT_WEBSOCKET=jetty)",
                "  --no-jetty-core-idle      skip the idle run of chatwire-jetty against bare-core (one round each)",
                "  --no-heartbeats           sockets send nothing on their own (no pong every 20 s)",
                "  --server-env NAME=VALUE   an environment variable for both servers (repeatable), e.g. the bare",
                "                            server's BARE_* experiment knobs",
                "  --profile                 record the servers with JFR and print hot frames and allocations",
                "  --out DIR                 where logs and results go (a new directory under java.io.tmpdir)",
                String.join("\n", BackendOptions.usage()));
    }

    /** Reads command-line arguments on top of the defaults (or of the smoke sizes, with {@code --smoke}). */
    static BenchmarkOptions parse(String... args) {
        List<String> list = Arrays.asList(args);
        BenchmarkOptions o = list.contains("--smoke") ? smokeRun() : fullRun();
        boolean smoke = o.smoke;
        int rounds = o.rounds;
        int idleRounds = o.idleRounds;
        int slowRounds = o.slowRounds;
        Set<String> workloads = new LinkedHashSet<>(o.workloads);
        int fanoutMembers = o.fanoutMembers;
        int fanoutMessages = o.fanoutMessages;
        int fanoutWindow = o.fanoutWindow;
        Duration fanoutBudget = o.fanoutBudget;
        int slowMembers = o.slowMembers;
        int slowStalled = o.slowStalled;
        int slowMessages = o.slowMessages;
        int slowText = o.slowTextLength;
        Duration slowHold = o.slowHold;
        int pairs = o.pairs;
        int pairMessages = o.pairMessages;
        int pairWarmup = o.pairWarmup;
        int restWindow = o.restWindow;
        int idle = o.idleConnections;
        Duration idleHold = o.idleHold;
        List<Integer> ladder = new ArrayList<>(o.ladder);
        List<String> jvmArgs = o.serverJvmArgs;
        List<String> idleJvmArgs = o.idleJvmArgs;
        Map<String, String> env = new LinkedHashMap<>();
        boolean profile = false;
        boolean heartbeats = true;
        boolean jettyCoreIdle = o.jettyCoreIdle;
        List<ServerKind> servers = BOTH;
        Path out = o.outDir;
        boolean ladderGiven = false;
        BackendOptions.Builder backends = o.backends.toBuilder();
        boolean backendsOnly = list.contains("--backends");
        if (backendsOnly) {
            workloads.clear();
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int last = BackendOptions.parseOne(args, i, backends);
            if (last >= 0) {
                i = last;
                continue;
            }
            switch (arg) {
                case "--smoke" -> smoke = true;
                case "--rounds" -> rounds = intValue(args, ++i, arg);
                case "--idle-rounds" -> idleRounds = intValue(args, ++i, arg);
                case "--slow-rounds" -> slowRounds = intValue(args, ++i, arg);
                case "--only" -> {
                    Set<String> only = new LinkedHashSet<>(Arrays.asList(value(args, ++i, arg).split(",")));
                    if (backendsOnly) {
                        backends.workloads = only;
                    } else {
                        workloads = only;
                    }
                }
                case "--fanout-members" -> fanoutMembers = intValue(args, ++i, arg);
                case "--fanout-messages" -> fanoutMessages = intValue(args, ++i, arg);
                case "--fanout-window" -> fanoutWindow = intValue(args, ++i, arg);
                case "--fanout-seconds" -> fanoutBudget = Duration.ofSeconds(intValue(args, ++i, arg));
                case "--slow-members" -> slowMembers = intValue(args, ++i, arg);
                case "--slow-stalled" -> slowStalled = intValue(args, ++i, arg);
                case "--slow-messages" -> slowMessages = intValue(args, ++i, arg);
                case "--slow-text" -> slowText = intValue(args, ++i, arg);
                case "--slow-hold-seconds" -> slowHold = Duration.ofSeconds(intValue(args, ++i, arg));
                case "--pairs" -> pairs = intValue(args, ++i, arg);
                case "--pair-messages" -> pairMessages = intValue(args, ++i, arg);
                case "--pair-warmup" -> pairWarmup = intValue(args, ++i, arg);
                case "--rest-window" -> restWindow = intValue(args, ++i, arg);
                case "--idle-connections" -> idle = intValue(args, ++i, arg);
                case "--idle-hold-seconds" -> idleHold = Duration.ofSeconds(intValue(args, ++i, arg));
                case "--ladder" -> {
                    ladder = Arrays.stream(value(args, ++i, arg).split(",")).map(s -> Integer.parseInt(s.trim()))
                            .toList();
                    ladderGiven = true;
                }
                case "--server-jvm-args" -> jvmArgs = flags(value(args, ++i, arg));
                case "--idle-jvm-args" -> idleJvmArgs = flags(value(args, ++i, arg));
                case "--server-env" -> {
                    String[] pair = value(args, ++i, arg).split("=", 2);
                    if (pair.length != 2) {
                        throw new IllegalArgumentException("--server-env needs NAME=VALUE\n" + usage());
                    }
                    env.put(pair[0], pair[1]);
                }
                case "--profile" -> profile = true;
                case "--no-heartbeats" -> heartbeats = false;
                case "--no-jetty-core-idle" -> jettyCoreIdle = false;
                case "--servers" -> servers = Arrays.stream(value(args, ++i, arg).split(","))
                        .map(name -> ServerKind.of(name.trim())).toList();
                case "--out" -> out = Path.of(value(args, ++i, arg));
                default -> throw new IllegalArgumentException("unknown option " + arg + "\n" + usage());
            }
        }
        if (!ladderGiven && !ladder.contains(idle)) {
            List<Integer> withIdle = new ArrayList<>(ladder);
            withIdle.add(idle);
            ladder = withIdle;
        }
        return new BenchmarkOptions(smoke, rounds, idleRounds, slowRounds, workloads, fanoutMembers, fanoutMessages,
                o.fanoutWarmup, fanoutWindow, fanoutBudget, slowMembers, slowStalled, slowMessages, slowText, slowHold,
                pairs, pairMessages, pairWarmup, restWindow, idle, idleHold,
                ladder, o.textLength, o.connectConcurrency, o.sourceAddresses, jvmArgs, idleJvmArgs, env,
                o.stall, servers, jettyCoreIdle, heartbeats, profile, out, backends.build());
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value\n" + usage());
        }
        return args[index];
    }

    private static List<String> flags(String value) {
        return Arrays.stream(value.trim().split("\\s+")).filter(flag -> !flag.isEmpty()).toList();
    }

    private static int intValue(String[] args, int index, String option) {
        try {
            return Integer.parseInt(value(args, index, option).replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number\n" + usage(), e);
        }
    }

    /** The server JVM flags for a workload. */
    List<String> jvmArgsFor(String workload) {
        return workload.equals("idle") ? idleJvmArgs : serverJvmArgs;
    }

    /** Whether a workload is to run. */
    boolean runs(String workload) {
        return workloads.contains(workload);
    }
}
