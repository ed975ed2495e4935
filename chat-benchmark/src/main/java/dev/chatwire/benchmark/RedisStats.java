package dev.chatwire.benchmark;

import redis.clients.jedis.Jedis;
import redis.embedded.core.ExecutableProvider;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark's Redis: a {@code redis-server} process on a free loopback port, without persistence, from the
 * {@code PATH} or else the binary shipped in {@code com.github.codemonstur:embedded-redis} (as the adapter's tests find
 * theirs). {@link Stats#read} reads its {@code INFO} directly, past any proxy.
 */
final class RedisProcess {

    private RedisProcess() {
    }

    /** Starts a server and waits until it answers {@code PING}. */
    static ChildProcess start(Path workDir) throws IOException, InterruptedException {
        String executable = executable();
        return ChildProcess.start(port -> new ProcessBuilder(executable, "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no",
                "--dir", workDir.toString()), RedisProcess::answersPing, "redis-server", workDir.resolve("redis.log"));
    }

    private static String executable() throws IOException {
        try {
            return ExecutableProvider.newExecutableInPath("redis-server").get().getPath();
        } catch (FileNotFoundException notOnPath) {
            // Extracted to a temporary file and made executable, or an IOException says why not.
            return ExecutableProvider.newJarResourceProvider().get().getPath();
        }
    }

    private static boolean answersPing(int port) {
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            jedis.ping();
            return true;
        } catch (RuntimeException notYet) {
            return false;
        }
    }

    /**
     * Redis's traffic counters from {@code INFO all}.
     *
     * @param commands    commands processed ({@code total_commands_processed})
     * @param publishes   {@code PUBLISH} calls ({@code cmdstat_publish})
     * @param inputBytes  bytes read from clients ({@code total_net_input_bytes}), published payloads among them
     * @param outputBytes bytes written to clients ({@code total_net_output_bytes}), deliveries to subscribers in them
     */
    record Stats(long commands, long publishes, long inputBytes, long outputBytes) {

        static Stats read(int port) {
            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                return parse(jedis.info("all"));
            }
        }

        /** Reads the counters from {@code INFO all} output. */
        static Stats parse(String info) {
            Matcher publishes = Pattern.compile("cmdstat_publish:calls=(\\d+)").matcher(info);
            return new Stats(field(info, "total_commands_processed"), publishes.find()
                    ? Long.parseLong(publishes.group(1)) : 0, field(info, "total_net_input_bytes"),
                    field(info, "total_net_output_bytes"));
        }

        private static long field(String info, String name) {
            Matcher value = Pattern.compile("(?m)^" + name + ":(\\d+)").matcher(info);
            if (!value.find()) {
                throw new IllegalStateException("no " + name + " in Redis INFO");
            }
            return Long.parseLong(value.group(1));
        }

        /** What happened between {@code earlier} and these counters; the {@code INFO} that read these counts one. */
        Stats since(Stats earlier) {
            return new Stats(commands - earlier.commands - 1, publishes - earlier.publishes,
                    inputBytes - earlier.inputBytes, outputBytes - earlier.outputBytes);
        }
    }
}
