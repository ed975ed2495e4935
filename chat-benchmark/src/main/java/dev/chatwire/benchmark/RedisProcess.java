package dev.chatwire.benchmark;

import redis.clients.jedis.Jedis;
import redis.embedded.core.ExecutableProvider;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark's Redis: a {@code redis-server} process on a free loopback port, without persistence, from the
 * {@code PATH} or else the binary shipped in {@code com.github.codemonstur:embedded-redis} (as the adapter's tests find
 * theirs). {@link #stats()} reads its {@code INFO} directly, past any proxy.
 */
final class RedisProcess implements AutoCloseable {

    private final Process process;
    private final int port;

    private RedisProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts a server and waits until it answers {@code PING}. */
    static RedisProcess start(Path workDir) throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        int port = ChildJvm.freePort();
        Process process = new ProcessBuilder(executable().toString(), "--port", Integer.toString(port), "--bind",
                "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no", "--dir",
                workDir.toString()).redirectErrorStream(true)
                .redirectOutput(workDir.resolve("redis.log").toFile()).start();
        RedisProcess redis = new RedisProcess(process, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (Jedis jedis = redis.connect()) {
                jedis.ping();
                return redis;
            } catch (RuntimeException notYet) {
                Thread.sleep(20);
            }
        }
        redis.close();
        throw new IOException("redis-server did not answer on port " + port + "; see " + workDir);
    }

    private Jedis connect() {
        return new Jedis("127.0.0.1", port);
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** Its counters now. */
    Stats stats() {
        try (Jedis jedis = connect()) {
            return Stats.parse(jedis.info("all"));
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

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static Path executable() throws IOException {
        String path = System.getenv("PATH") == null ? "" : System.getenv("PATH");
        Path onPath = Arrays.stream(path.split(File.pathSeparator)).map(dir -> Path.of(dir, "redis-server"))
                .filter(candidate -> Files.isRegularFile(candidate) && Files.isExecutable(candidate))
                .findFirst().orElse(null);
        if (onPath != null) {
            return onPath;
        }
        File extracted = ExecutableProvider.newJarResourceProvider().get();
        if (!extracted.canExecute() && !extracted.setExecutable(true)) {
            throw new IOException("no redis-server on the PATH, and " + extracted + " is not executable");
        }
        return extracted.toPath();
    }
}
