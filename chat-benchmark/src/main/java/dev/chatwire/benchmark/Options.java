package dev.chatwire.benchmark;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line: one table of every option with its value in the full run and in the smoke run ({@code --smoke}:
 * tiny sizes, one round, a check that the tool runs and counts right, never of its speed) and what it means; the
 * usage text is that table. Values are read by the option's name, as it is written on the command line.
 */
final class Options {

    /** The bare comparison's workloads, in the order they run. */
    static final List<String> WORKLOADS = List.of("fanout", "slow", "pairs", "idle");
    /** The deployed configuration's workloads, in the order they run on each deployment. */
    static final List<String> BACKEND_WORKLOADS = List.of("admission", "hotchat", "pairs", "fanout");

    /**
     * One option.
     *
     * @param full  its value in the full run ("" for none)
     * @param smoke its value in the smoke run
     */
    private record Option(String name, String full, String smoke, String help) {
    }

    private static final Set<String> FLAGS = Set.of("smoke", "backends", "with-backends");
    private static final List<Option> TABLE = List.of(
            new Option("only", "", "", "workloads: fanout, slow, pairs, idle; with --backends: admission, hotchat, "
                    + "pairs, fanout (default all)"),
            new Option("rounds", "2", "1", "runs per server of fan-out and pairs, bare and Chatwire alternating (slow "
                    + "readers and idle run once)"),
            new Option("fanout-members", "1000", "20", "members of the fan-out chat"),
            new Option("fanout-messages", "500", "100", "REST messages timed in it"),
            new Option("fanout-warmup", "100", "20", "messages posted before (fan-out and slow readers)"),
            new Option("fanout-window", "8", "8", "messages in flight, posted but not delivered to all"),
            new Option("fanout-seconds", "25", "600", "stop posting after this on a slow machine (also per slow "
                    + "phase)"),
            new Option("slow-members", "200", "20", "members of the slow-readers chat"),
            new Option("slow-stalled", "10", "2", "how many of them connect and stop reading for the second phase"),
            new Option("slow-messages", "1000", "100", "REST messages posted in each of its three phases"),
            new Option("slow-text", "4096", "4096", "characters per slow-readers message"),
            new Option("slow-hold-seconds", "12", "0", "keep the stalled sockets stalled at least this long"),
            new Option("pairs", "1000", "10", "direct chats of two users"),
            new Option("pair-messages", "20", "5", "messages per user over the socket, then over REST"),
            new Option("pair-warmup", "60", "2", "socket sends per user before the timed ones, at most 15/s"),
            new Option("rest-window", "64", "8", "REST calls in flight"),
            new Option("idle-connections", "10000", "40", "the idle workload's headline connection count"),
            new Option("idle-hold-seconds", "20", "1", "how long each count of the ladder is held"),
            new Option("ladder", "10000,19000", "20,40", "idle connection counts, for linearity"),
            new Option("text-length", "80", "80", "characters per message text"),
            new Option("connect-concurrency", "200", "50", "socket handshakes in flight"),
            new Option("source-addresses", "4", "2", "loopback source addresses the sockets leave from"),
            new Option("stall-seconds", "20", "5", "how long a count may stand still before a run is stuck"),
            new Option("server-jvm-args", "", "", "flags for the server JVMs of every workload but idle"),
            new Option("idle-jvm-args", "-XX:MaxHeapFreeRatio=10 -XX:MinHeapFreeRatio=5",
                    "-XX:MaxHeapFreeRatio=10 -XX:MinHeapFreeRatio=5", "flags for the idle workload's server JVMs "
                    + "(\"\" for JVM defaults)"),
            new Option("out", "", "", "where logs and results go (a new directory under java.io.tmpdir)"),
            new Option("backend-delay-ms", "1", "1", "delay each backend's proxy adds in each direction"),
            new Option("mongo-uri", "", "", "a real MongoDB (one host) instead of the stand-in"),
            new Option("nodes", "2,3", "2", "node counts run beside one node on backends (\"none\" for one only)"),
            new Option("multi-node", "", "", "the backends workloads that run on those node counts too (all)"),
            new Option("hot-members", "20", "10", "members of the hot chat, all posting"),
            new Option("hot-warmup", "100", "5", "hot-chat messages posted before the timed ones"),
            new Option("hot-messages", "1000", "20", "hot-chat messages timed"),
            new Option("hot-window", "50", "20", "hot-chat posts in flight"),
            new Option("admission-sockets", "5000", "50", "sockets of the admission storm"),
            new Option("admission-chat-size", "10", "10", "members per chat in it"),
            new Option("backend-pairs", "100", "5", "direct chats of the pairs workload on backends"),
            new Option("backend-pair-messages", "10", "3", "sends per user over the socket and over REST there"),
            new Option("backend-pair-warmup", "10", "1", "paced socket sends per user before those"),
            new Option("backend-fanout-members", "1000", "10", "members of the fan-out chat on backends"),
            new Option("backend-fanout-messages", "200", "10", "fan-out messages timed there"));

    private final Map<String, String> values;
    private final Set<String> flags;

    private Options(Map<String, String> values, Set<String> flags) {
        this.values = values;
        this.flags = flags;
        check();
    }

    /** Reads the arguments over the full run's values, or the smoke run's with {@code --smoke}. */
    static Options parse(String... args) {
        boolean smoke = Arrays.asList(args).contains("--smoke");
        Map<String, String> values = new LinkedHashMap<>();
        TABLE.forEach(option -> values.put(option.name(), smoke ? option.smoke() : option.full()));
        Set<String> flags = new java.util.HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (FLAGS.contains(name)) {
                flags.add(name);
            } else if (values.containsKey(name) && i + 1 < args.length) {
                values.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("unknown option or missing value: " + args[i] + "\n" + usage());
            }
        }
        if (values.get("out").isEmpty()) {
            values.put("out", Path.of(System.getProperty("java.io.tmpdir"), "chatwire-benchmark",
                    LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))).toString());
        }
        return new Options(values, Set.copyOf(flags));
    }

    private void check() {
        List<String> known = flag("backends") ? BACKEND_WORKLOADS : WORKLOADS;
        for (String workload : words("only")) {
            if (!known.contains(workload)) {
                throw new IllegalArgumentException("unknown workload '" + workload + "'; known: " + known);
            }
        }
        for (String workload : words("multi-node")) {
            if (!BACKEND_WORKLOADS.contains(workload)) {
                throw new IllegalArgumentException("unknown workload '" + workload + "'; known: " + BACKEND_WORKLOADS);
            }
        }
        for (Option option : TABLE) {
            if (option.full().matches("[0-9]+") && integer(option.name()) < 0) {
                throw new IllegalArgumentException("--" + option.name() + " must not be negative");
            }
        }
        if (integer("pair-messages") > 40 || integer("backend-pair-messages") > 40) {
            // Chatwire's command burst per connection: the timed socket sends are not paced.
            throw new IllegalArgumentException("pair messages must be at most 40 (Chatwire's command burst)");
        }
        if (integer("slow-stalled") < 1 || integer("slow-stalled") > integer("slow-members") - 2) {
            throw new IllegalArgumentException("the slow-readers chat needs at least one stalled member and two "
                    + "healthy ones (the sender and a reader)");
        }
        if (integer("slow-text") > 16_000) {
            throw new IllegalArgumentException("slow text length must be at most 16000 (Chatwire's longest text)");
        }
        if (ladder().stream().anyMatch(count -> count < IdleWorkload.CHAT_SIZE
                || count % IdleWorkload.CHAT_SIZE != 0)) {
            throw new IllegalArgumentException("idle connection counts must be multiples of "
                    + IdleWorkload.CHAT_SIZE + ": users come in chats of that many");
        }
        if (nodes().stream().anyMatch(n -> n < 2)) {
            throw new IllegalArgumentException("--nodes counts must be at least 2");
        }
    }

    /** The usage text. */
    static String usage() {
        StringBuilder usage = new StringBuilder("usage: java -jar chat-benchmark/target/chatwire-benchmark.jar "
                + "[options]\n  --help                     this text\n"
                + "  --smoke                    tiny sizes, one round: checks the tool, not the speed\n"
                + "  --backends                 the deployed configuration (MongoDB and Redis behind delay proxies, "
                + "on 1 node and on --nodes) instead of the bare comparison\n"
                + "  --with-backends            the bare comparison, then the deployed configuration\n");
        for (Option option : TABLE) {
            usage.append(String.format("  --%-24s %s%s%n", option.name() + " X", option.help(),
                    option.full().isEmpty() ? "" : " (" + option.full() + ")"));
        }
        return usage.toString();
    }

    boolean smoke() {
        return flag("smoke");
    }

    /** Whether a flag without a value was given. */
    boolean flag(String name) {
        return flags.contains(name);
    }

    /** An option's value as a number. */
    int integer(String name) {
        try {
            return Integer.parseInt(text(name).replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " needs a number\n" + usage(), e);
        }
    }

    /** An option's value in seconds. */
    Duration seconds(String name) {
        return Duration.ofSeconds(integer(name));
    }

    /** An option's value as given. */
    String text(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no option --" + name);
        }
        return value;
    }

    /** An option's comma-separated words; none when it is empty. */
    List<String> words(String name) {
        return Arrays.stream(text(name).split(",")).map(String::trim).filter(word -> !word.isEmpty()).toList();
    }

    /** An option's JVM flags, separated by spaces. */
    List<String> jvmFlags(String name) {
        return Arrays.stream(text(name).trim().split("\\s+")).filter(flag -> !flag.isEmpty()).toList();
    }

    /** The idle connection counts, ascending, the headline count among them. */
    List<Integer> ladder() {
        return java.util.stream.Stream.concat(words("ladder").stream().map(Integer::parseInt),
                java.util.stream.Stream.of(integer("idle-connections"))).distinct().sorted().toList();
    }

    /** The node counts the deployed configuration runs beside one node. */
    List<Integer> nodes() {
        return text("nodes").equals("none") ? List.of() : words("nodes").stream().map(Integer::parseInt).toList();
    }

    /** Where logs and results go. */
    Path outDir() {
        return Path.of(text("out"));
    }

    /** Whether the bare comparison runs a workload. */
    boolean runs(String workload) {
        return !flag("backends") && (words("only").isEmpty() || words("only").contains(workload));
    }

    /** Whether the deployed configuration runs. */
    boolean runsBackends() {
        return smoke() || flag("backends") || flag("with-backends");
    }

    /** The deployed configuration's workloads, in order. */
    List<String> backendWorkloads() {
        List<String> only = flag("backends") ? words("only") : List.of();
        return BACKEND_WORKLOADS.stream().filter(w -> only.isEmpty() || only.contains(w)).toList();
    }

    /** Whether a deployed-configuration workload also runs on several nodes. */
    boolean runsOnSeveralNodes(String workload) {
        return words("multi-node").isEmpty() || words("multi-node").contains(workload);
    }
}
