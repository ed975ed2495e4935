package dev.chatwire.benchmark;

import redis.embedded.core.ExecutableProvider;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
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
        int port = freePort();
        Process process = new ProcessBuilder(executable().toString(), "--port", Integer.toString(port), "--bind",
                "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no", "--dir",
                workDir.toString()).redirectErrorStream(true)
                .redirectOutput(workDir.resolve("redis.log").toFile()).start();
        RedisProcess redis = new RedisProcess(process, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                if (redis.command("PING").equals("+PONG")) {
                    return redis;
                }
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        redis.close();
        throw new IOException("redis-server did not answer on port " + port + "; see " + workDir);
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** Its counters now. */
    RedisStats stats() throws IOException {
        return RedisStats.parse(command("INFO all"));
    }

    /**
     * Sends one inline command and returns its reply: a status line as it is, a bulk string's content.
     */
    private String command(String inline) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(5000);
            socket.getOutputStream().write((inline + "\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String first = line(in);
            if (!first.startsWith("$")) {
                return first;
            }
            byte[] body = in.readNBytes(Integer.parseInt(first.substring(1)));
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
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
        Optional<Path> onPath = Optional.ofNullable(System.getenv("PATH")).stream()
                .flatMap(path -> java.util.Arrays.stream(path.split(File.pathSeparator)))
                .map(dir -> Path.of(dir, "redis-server"))
                .filter(candidate -> Files.isRegularFile(candidate) && Files.isExecutable(candidate))
                .findFirst();
        if (onPath.isPresent()) {
            return onPath.get();
        }
        File extracted = ExecutableProvider.newJarResourceProvider().get();
        if (!extracted.canExecute() && !extracted.setExecutable(true)) {
            throw new IOException("no redis-server on the PATH, and " + extracted + " is not executable");
        }
        return extracted.toPath();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }
}
