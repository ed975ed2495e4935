package dev.chatwire.benchmark;

import redis.clients.jedis.Jedis;
import redis.embedded.core.ExecutableProvider;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

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
    RedisStats stats() {
        try (Jedis jedis = connect()) {
            return RedisStats.parse(jedis.info("all"));
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
