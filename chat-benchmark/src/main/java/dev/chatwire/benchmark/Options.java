package dev.chatwire.benchmark;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
     * @param full  its value in the full run ("" for none; null for a flag, which takes no value)
     * @param smoke its value in the smoke run
     */
    private record Option(String name, String full, String smoke, String help) {
    }

    private static final List<Option> TABLE = List.of(
            new Option("help", null, null, "this text"),
            new Option("smoke", null, null, "tiny sizes, one round: checks the tool, not the speed"),
            new Option("backends", null, null, "the deployed configuration (MongoDB and Redis behind delay proxies, "
                    + "on 1 node and on --nodes) instead of the bare comparison"),
            new Option("with-backends", null, null, "the bare comparison, then the deployed configuration"),
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
            new Option("idle-connections", "10000", "40", "sockets of the idle workload"),
            new Option("idle-hold-seconds", "20", "1", "how long they are held before memory is read"),
            new Option("text-length", "80", "80", "characters per message text"),
            new Option("connect-concurrency", "200", "50", "socket handshakes in flight"),
            new Option("stall-seconds", "20", "5", "how long a count may stand still before a run is stuck"),
            new Option("server-jvm-args", "", "", "flags for the server JVMs of every workload but idle"),
            new Option("idle-jvm-args", "-XX:MaxHeapFreeRatio=10 -XX:MinHeapFreeRatio=5",
                    "-XX:MaxHeapFreeRatio=10 -XX:MinHeapFreeRatio=5", "flags for the idle workload's server JVMs "
                    + "(\"\" for JVM defaults)"),
            new Option("out", "", "", "where logs and results go (a new directory under java.io.tmpdir)"),
            new Option("backend-delay-ms", "1", "1", "delay each backend's proxy adds in each direction"),
            new Option("mongo-uri", "", "", "a real MongoDB (one host) instead of the stand-in"),
            new Option("nodes", "2,3", "2", "node counts run beside one node on backends (\"none\" for one only)"),
            new Option("hot-members", "20", "10", "members of the hot chat, all posting"),
            new Option("hot-warmup", "100", "5", "hot-chat messages posted before the timed ones"),
            new Option("hot-messages", "1000", "20", "hot-chat messages timed"),
            new Option("hot-window", "50", "20", "hot-chat posts in flight"),
            new Option("admission-sockets", "5000", "50", "sockets of the admission storm"),
            new Option("admission-chat-size", "10", "10", "members per chat in it"),
            new Option("backend-pairs", "100", "5", "direct chats of the pairs workload on backends"),
            new Option("backend-pair-messages", "40", "3", "sends per user over the socket and over REST there"),
            new Option("backend-pair-warmup", "60", "1", "paced socket sends per user before those"),
            new Option("backend-fanout-members", "1000", "10", "members of the fan-out chat on backends"),
            new Option("backend-fanout-messages", "200", "10", "fan-out messages timed there"));

    private final Map<String, String> values;
    private final Set<String> flags;

    private Options(Map<String, String> values, Set<String> flags) {
        this.values = values;
        this.flags = flags;
        List<String> known = flag("backends") ? BACKEND_WORKLOADS : WORKLOADS;
        require(known.containsAll(words("only")), "unknown workload in --only; known: " + known);
        TABLE.stream().filter(option -> option.full() != null && option.full().matches("[0-9]+")).forEach(option ->
                require(integer(option.name()) >= 0, "--" + option.name() + " must not be negative"));
        // Chatwire's command burst per connection: the timed socket sends are not paced.
        require(integer("pair-messages") <= 40 && integer("backend-pair-messages") <= 40,
                "pair messages must be at most 40 (Chatwire's command burst)");
        require(integer("slow-stalled") >= 1 && integer("slow-stalled") <= integer("slow-members") - 2,
                "the slow-readers chat needs at least one stalled member and two healthy ones (the sender and a "
                        + "reader)");
        require(integer("slow-text") <= 16_000, "slow text length must be at most 16000 (Chatwire's longest text)");
        int idle = integer("idle-connections");
        require(idle >= IdleWorkload.CHAT_SIZE && idle % IdleWorkload.CHAT_SIZE == 0, "--idle-connections must be a "
                + "multiple of " + IdleWorkload.CHAT_SIZE + ": users come in chats of that many");
        // One server port has about 28,000 ephemeral ports of the client's, some of them still in TIME_WAIT.
        require(idle <= 25_000 && integer("admission-sockets") <= 25_000, "at most 25000 sockets to one server");
        require(nodes().stream().allMatch(n -> n >= 2), "--nodes counts must be at least 2");
    }

    private static void require(boolean valid, String otherwise) {
        if (!valid) {
            throw new IllegalArgumentException(otherwise);
        }
    }

    /** Reads the arguments over the full run's values, or the smoke run's with {@code --smoke}. */
    static Options parse(String... args) {
        boolean smoke = Arrays.asList(args).contains("--smoke");
        Map<String, String> values = new HashMap<>();
        Set<String> flagNames = new HashSet<>();
        for (Option option : TABLE) {
            if (option.full() == null) {
                flagNames.add(option.name());
            } else {
                values.put(option.name(), smoke ? option.smoke() : option.full());
            }
        }
        Set<String> flags = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (flagNames.contains(name)) {
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
        return new Options(values, flags);
    }

    /** The usage text. */
    static String usage() {
        StringBuilder usage = new StringBuilder("usage: java -jar chat-benchmark/target/chatwire-benchmark.jar "
                + "[options]\n");
        for (Option option : TABLE) {
            usage.append(option.full() == null ? String.format("  --%-24s %s%n", option.name(), option.help())
                    : String.format("  --%-24s %s%s%n", option.name() + " X", option.help(),
                    option.full().isEmpty() ? "" : " (" + option.full() + ")"));
        }
        return usage.toString();
    }

    boolean smoke() {
        return flag("smoke");
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    int integer(String name) {
        try {
            return Integer.parseInt(text(name).replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " needs a number\n" + usage(), e);
        }
    }

    Duration seconds(String name) {
        return Duration.ofSeconds(integer(name));
    }

    String text(String name) {
        return Objects.requireNonNull(values.get(name), () -> "no option --" + name);
    }

    /** An option's comma-separated words; none when it is empty. */
    List<String> words(String name) {
        return Arrays.stream(text(name).split(",")).map(String::trim).filter(word -> !word.isEmpty()).toList();
    }

    /** An option's JVM flags, separated by spaces. */
    List<String> jvmFlags(String name) {
        return Arrays.stream(text(name).trim().split("\\s+")).filter(flag -> !flag.isEmpty()).toList();
    }

    /** The node counts the deployed configuration runs beside one node. */
    List<Integer> nodes() {
        return text("nodes").equals("none") ? List.of() : words("nodes").stream().map(Integer::parseInt).toList();
    }

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
}
