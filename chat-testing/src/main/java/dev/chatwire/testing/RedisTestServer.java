package dev.chatwire.testing;

import redis.embedded.core.ExecutableProvider;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A Redis for tests and benchmarks: a real {@code redis-server} process on a free loopback port, without persistence,
 * which can be stopped and started again on the same port to simulate an outage.
 *
 * <p>The binary is {@code redis-server} from the {@code PATH} if there is one, else the one shipped in the
 * {@code com.github.codemonstur:embedded-redis} jar for this OS and architecture. {@link #shared()} is one server for
 * the whole test run, or the existing server named by the environment variable {@code CHAT_TEST_REDIS_URI}; tests that
 * stop the server use {@link #startLocal()}, always a process of their own. If no server can be started, these methods
 * throw with a message saying what is missing: the tests fail rather than skip.
 */
public final class RedisTestServer implements AutoCloseable {

    /** Names an existing Redis to use instead of starting one, e.g. {@code redis://localhost:6379}. */
    public static final String URI_VARIABLE = "CHAT_TEST_REDIS_URI";

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);
    private static RedisTestServer shared;

    private final URI uri;
    private final Path executable;
    private final int port;
    private final Path workDir;
    private Process process;

    private RedisTestServer(URI uri, Path executable, int port, Path workDir) {
        this.uri = uri;
        this.executable = executable;
        this.port = port;
        this.workDir = workDir;
    }

    /** The server every test without an outage shares; stopped when the JVM exits. */
    public static synchronized RedisTestServer shared() {
        if (shared == null) {
            String external = System.getenv(URI_VARIABLE);
            shared = external == null || external.isBlank()
                    ? startLocal()
                    : new RedisTestServer(URI.create(external.trim()), null, -1, null);
        }
        return shared;
    }

    /** Starts a server process of this test's own on a free port, working in a new temporary directory. */
    public static RedisTestServer startLocal() {
        try {
            return startLocal(Files.createTempDirectory("chatwire-redis-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a server process of this caller's own on a free port, working in {@code workDir} (its {@code --dir}, and
     * where its log {@code redis.log} goes), which is created if need be.
     *
     * @throws UncheckedIOException  if the directory cannot be created
     * @throws IllegalStateException if no server could be started, saying what is missing
     */
    public static RedisTestServer startLocal(Path workDir) {
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path executable = findExecutable();
        IOException lastFailure = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            try {
                RedisTestServer server = new RedisTestServer(URI.create("redis://127.0.0.1:" + port), executable,
                        port, workDir);
                server.start();
                Runtime.getRuntime().addShutdownHook(new Thread(server::close));
                return server;
            } catch (IOException e) {
                lastFailure = e;
            }
        }
        throw new IllegalStateException("could not start " + executable + " for the tests: " + lastFailure
                + ". Set " + URI_VARIABLE + "=redis://host:port to use an existing Redis.", lastFailure);
    }

    /** A random key prefix, so that tests sharing a server never see each other's keys or channels. */
    public static String randomPrefix() {
        return "test-" + UUID.randomUUID() + ":";
    }

    /** Where the server is, as {@code redis://host:port}. */
    public URI uri() {
        return uri;
    }

    /**
     * The port on loopback it listens on.
     *
     * @throws IllegalStateException for a server named by {@value #URI_VARIABLE}
     */
    public int port() {
        requireControllable();
        return port;
    }

    /**
     * The server process's id, to read its CPU time.
     *
     * @throws IllegalStateException if it is not running, or not a process of this JVM's
     */
    public synchronized long pid() {
        return running().pid();
    }

    /** Whether this server can be stopped and started, that is, whether it is a process of this JVM's. */
    public boolean controllable() {
        return executable != null;
    }

    /**
     * Starts the server process (again) on its port and waits until it answers; does nothing while it runs.
     *
     * @throws IOException           if it does not answer, with the end of its log
     * @throws IllegalStateException if it is not a process of this JVM's
     */
    public synchronized void start() throws IOException {
        requireControllable();
        if (process != null && process.isAlive()) {
            return;
        }
        Path log = workDir.resolve("redis.log");
        List<String> command = new ArrayList<>(List.of(executable.toString(),
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--protected-mode", "no", "--dir", workDir.toString()));
        for (int attempt = 0; ; attempt++) {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (awaitReady()) {
                return;
            }
            boolean exited = !process.isAlive();
            process.destroyForcibly();
            // An early exit is most likely the port, still held for a moment by the previous process: try again.
            if (!exited || attempt == 20) {
                String output = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
                throw new IOException("redis-server did not start on port " + port + ":\n" + tail(output));
            }
            sleepQuietly(Duration.ofMillis(100));
        }
    }

    /** Kills the server process (clients see their connections drop) and waits until it is gone. */
    public synchronized void stop() {
        requireControllable();
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("redis-server on port " + port + " did not stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        process = null;
    }

    /**
     * Sends a signal by name, {@code STOP} or {@code CONT}: a stopped server keeps its connections open but never
     * answers.
     *
     * @throws IllegalStateException if it is not running, or not a process of this JVM's, or {@code kill} fails
     */
    public synchronized void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(running().pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " failed");
        }
    }

    /** Kills the server process, if it runs, and waits up to 10 s until it is gone. */
    @Override
    public synchronized void close() {
        if (process != null) {
            try {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    private boolean awaitReady() {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (answersPing()) {
                return true;
            }
            sleepQuietly(Duration.ofMillis(20));
        }
        return false;
    }

    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(500);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] reply = new byte[7];
            int read = socket.getInputStream().readNBytes(reply, 0, reply.length);
            return read == reply.length && new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    private Process running() {
        requireControllable();
        if (process == null) {
            throw new IllegalStateException("redis-server on port " + port + " is not running");
        }
        return process;
    }

    private void requireControllable() {
        if (!controllable()) {
            throw new IllegalStateException("the Redis at " + uri + " (" + URI_VARIABLE + ") is not ours to control");
        }
    }

    private static Path findExecutable() {
        Optional<Path> onPath = onPath("redis-server");
        if (onPath.isPresent()) {
            return onPath.get();
        }
        try {
            File extracted = ExecutableProvider.newJarResourceProvider().get();
            if (!extracted.canExecute() && !extracted.setExecutable(true)) {
                throw new IOException(extracted + " is not executable");
            }
            return extracted.toPath();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("no Redis for the tests: no redis-server on the PATH, and the binary in "
                    + "com.github.codemonstur:embedded-redis for " + System.getProperty("os.name") + "/"
                    + System.getProperty("os.arch") + " could not be used (" + e + "). Install redis-server or set "
                    + URI_VARIABLE + "=redis://host:port.", e);
        }
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    private static String tail(String text) {
        return text.length() <= 2000 ? text : text.substring(text.length() - 2000);
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
