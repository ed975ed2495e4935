package dev.chatwire.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A process the benchmark starts, and the tools that look into it. A server under test ({@link #server}) is a JVM on
 * the benchmark's class path that gets a free loopback port and is ready once it answers HTTP; a helper
 * ({@link #helper}: the MongoDB stand-in, a delay proxy) is such a JVM that prints {@code port N} once it listens and
 * lives until its standard input closes, so it never outlives the benchmark; {@link RedisProcess} starts
 * {@code redis-server} through {@link #start}. Output goes to a log file; CPU time and resident memory come from
 * {@code /proc}, a JVM's live heap from {@code jcmd}.
 */
final class ChildProcess implements AutoCloseable {

    /** Generous: several JVMs start at once on a shared two-core machine (a smoke run saw one take over 60 s). */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");
    private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");
    /** USER_HZ, the unit of {@code /proc/<pid>/stat}: 100 on every Linux the JDK supports. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private final Process process;
    private final int port;

    private ChildProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts a process that will listen on {@code port} and waits until {@code ready} says it serves there.
     *
     * @throws IOException if it exits or is not ready within {@link #START_TIMEOUT}; it is stopped then
     */
    static ChildProcess start(ProcessBuilder builder, int port, IntPredicate ready, String name, Path logFile)
            throws IOException, InterruptedException {
        ChildProcess child = new ChildProcess(builder.start(), port);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!ready.test(port)) {
            if (!child.process.isAlive() || System.nanoTime() > deadline) {
                child.close();
                throw new IOException(name + " did not start within " + START_TIMEOUT + "; see " + logFile);
            }
            Thread.sleep(50);
        }
        return child;
    }

    /**
     * Starts a server on {@code mainClass} (tests start faulty ones) and waits until it answers HTTP.
     *
     * @param env    more environment variables for it, over the kind's own
     * @param secret the HS256 secret, passed as {@code CHAT_JWT_SECRET}
     */
    static ChildProcess server(ServerKind kind, String mainClass, List<String> jvmArgs, Map<String, String> env,
                               String secret, Path logFile) throws IOException, InterruptedException {
        int port = freePort();
        Files.createDirectories(logFile.getParent());
        ProcessBuilder builder = new ProcessBuilder(javaCommand(jvmArgs, mainClass)).redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        Map<String, String> environment = builder.environment();
        List.of("CHAT_MONGO_URI", "CHAT_REDIS_URI", "CHAT_ALLOWED_ORIGINS").forEach(environment::remove);
        environment.putAll(Map.of("CHAT_HOST", "127.0.0.1", "CHAT_PORT", Integer.toString(port),
                "CHAT_JWT_SECRET", secret,
                // The workloads post as one user as fast as the server answers: per-user REST rates would refuse it.
                "CHAT_REST_RATE_LIMITS", "off",
                // The admission storm opens its 5,000 sockets from one address at once, as a deploy's reconnects
                // through a proxy would look to a server that does not read the forwarding headers.
                "CHAT_MAX_UNAUTHENTICATED_PER_ADDRESS", "100000"));
        environment.putAll(kind.env);
        environment.putAll(env);
        return start(builder, port, ChildProcess::answersHttp, kind.label + " server", logFile);
    }

    /** Starts a helper on {@code mainClass} with a small heap and waits for the port it prints. */
    static ChildProcess helper(String name, Class<?> mainClass, Path logFile, String... arguments) throws IOException {
        // Its log goes to standard error, the log file, so that standard output carries only the port line.
        Process process = new ProcessBuilder(javaCommand(List.of("-Xmx512m", "-XX:+UseSerialGC",
                "-Dorg.slf4j.simpleLogger.logFile=System.err"), mainClass.getName(), arguments))
                .redirectError(logFile.toFile()).start();
        String line = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))
                .readLine();
        if (line == null || !line.startsWith("port ")) {
            process.destroyForcibly();
            throw new IOException(name + " did not start (it printed " + line + "); see " + logFile);
        }
        return new ChildProcess(process, Integer.parseInt(line.substring(5).trim()));
    }

    /** In a helper: blocks until the parent closes standard input or dies. */
    static void awaitParentGone() throws IOException {
        // Nothing is sent on purpose; whatever comes is dropped until the end of the stream.
        System.in.transferTo(OutputStream.nullOutputStream());
    }

    private static List<String> javaCommand(List<String> jvmArgs, String mainClass, String... arguments) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(jvmArgs);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(arguments));
        return command;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    /** Whether a server answers an HTTP request at all: its handlers are started, not just its port open. */
    private static boolean answersHttp(int port) {
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress("127.0.0.1", port), 500);
            probe.setSoTimeout(2000);
            probe.getOutputStream().write("GET /api/ready HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(probe.getInputStream().readNBytes(9), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 ");
        } catch (IOException notYet) {
            return false;
        }
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /**
     * The bytes of every live object after two full collections, as the class histogram's {@code Total} line sums
     * them: exact, where the heap in use also counts regions G1 has not compacted.
     */
    long liveHeapBytes() throws IOException, InterruptedException {
        jcmd("GC.run");
        jcmd("GC.run");
        return parseHistogramTotal(jcmd("GC.class_histogram"));
    }

    /** Reads the bytes of the {@code Total} line of {@code GC.class_histogram} output. */
    static long parseHistogramTotal(String histogram) {
        Matcher total = HISTOGRAM_TOTAL.matcher(histogram);
        if (!total.find()) {
            throw new IllegalStateException("no Total line in GC.class_histogram output: " + histogram);
        }
        return Long.parseLong(total.group(1));
    }

    /** Resident memory, in bytes, from {@code /proc/<pid>/status}. */
    long residentMemory() throws IOException {
        Matcher rss = RSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid()), "status")));
        if (!rss.find()) {
            throw new IOException("no VmRSS in /proc/" + pid() + "/status");
        }
        return Long.parseLong(rss.group(1)) * 1024;
    }

    /** CPU time a process has used so far, user and system, in nanoseconds. */
    static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name may hold spaces; the fields after its closing parenthesis are fixed.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid()), command).redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!jcmd.waitFor(120, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
            throw new IOException("jcmd " + command + " failed: " + output);
        }
        return output;
    }

    /** Closes its standard input (a helper exits then), stops it (TERM), and kills it if it has not exited in 15 s. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
