package dev.chatwire.benchmark;

import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A process the benchmark starts, and the tools that look into it. A server under test ({@link #server}) is a JVM on
 * the benchmark's class path that gets a free loopback port and is ready once it answers HTTP; a helper
 * ({@link #helper}: the MongoDB stand-in, a delay proxy) is such a JVM that prints {@code port N} once it listens and
 * lives until its standard input closes, so it never outlives the benchmark. Output goes to a log file; CPU time and
 * resident memory come from {@code /proc}, a JVM's live heap from {@code jcmd}.
 */
final class ChildProcess implements AutoCloseable {

    /** Generous: several JVMs start at once on a shared two-core machine (a smoke run saw one take over 60 s). */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");
    private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");

    private final Process process;
    private final int port;

    private ChildProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts {@code command} on a free port and waits until it is {@code ready} there; stops it if it never is. */
    static ChildProcess start(IntFunction<ProcessBuilder> command, IntPredicate ready, String name, Path logFile)
            throws IOException, InterruptedException {
        int port = freePort();
        Files.createDirectories(logFile.getParent());
        ChildProcess child = new ChildProcess(command.apply(port).redirectErrorStream(true)
                .redirectOutput(logFile.toFile()).start(), port);
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

    /** Starts a server on {@code mainClass} (tests start faulty ones) and waits until it answers HTTP. */
    static ChildProcess server(ServerKind kind, String mainClass, List<String> jvmArgs, Map<String, String> env,
                               String secret, Path logFile) throws IOException, InterruptedException {
        return start(port -> {
            ProcessBuilder builder = new ProcessBuilder(javaCommand(jvmArgs, mainClass));
            Map<String, String> environment = builder.environment();
            List.of("CHAT_MONGO_URI", "CHAT_REDIS_URI", "CHAT_ALLOWED_ORIGINS").forEach(environment::remove);
            environment.putAll(Map.of("CHAT_HOST", "127.0.0.1", "CHAT_PORT", Integer.toString(port),
                    "CHAT_JWT_SECRET", secret,
                    // The workloads post as one user as fast as the server answers: per-user REST rates would refuse.
                    "CHAT_REST_RATE_LIMITS", "off",
                    // The admission storm opens its 5,000 sockets from one address at once, as a deploy's reconnects
                    // through a proxy would look to a server that does not read the forwarding headers.
                    "CHAT_MAX_UNAUTHENTICATED_PER_ADDRESS", "100000"));
            environment.putAll(kind.env);
            environment.putAll(env);
            return builder;
        }, ChildProcess::answersHttp, kind.label + " server", logFile);
    }

    /** Starts a {@link BackendProcess} with a small heap and waits for the port it prints. */
    static ChildProcess helper(String name, Path logFile, String... arguments) throws IOException {
        // Its log goes to standard error, the log file, so that standard output carries only the port line.
        Process process = new ProcessBuilder(javaCommand(List.of("-Xmx512m", "-XX:+UseSerialGC",
                "-Dorg.slf4j.simpleLogger.logFile=System.err"), BackendProcess.class.getName(), arguments))
                .redirectError(logFile.toFile()).start();
        String line = process.inputReader(StandardCharsets.US_ASCII).readLine();
        if (line == null || !line.startsWith("port ")) {
            process.destroyForcibly();
            throw new IOException(name + " did not start (it printed " + line + "); see " + logFile);
        }
        return new ChildProcess(process, Integer.parseInt(line.substring(5).trim()));
    }

    /** In a helper: tells the parent the port it listens on, then blocks until the parent closes stdin or dies. */
    static void announcePortAndAwaitParent(int port) throws IOException {
        System.out.println("port " + port);
        System.out.flush();
        // Nothing is sent on purpose; whatever comes is dropped until the end of the stream.
        System.in.transferTo(OutputStream.nullOutputStream());
    }

    private static List<String> javaCommand(List<String> jvmArgs, String mainClass, String... arguments) {
        return Stream.of(List.of(jdkTool("java")), jvmArgs, List.of("-cp", System.getProperty("java.class.path"),
                mainClass), List.of(arguments)).flatMap(List::stream).toList();
    }

    private static String jdkTool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    /** Whether a server answers an HTTP request at all: its handlers are started, not just its port open. */
    private static boolean answersHttp(int port) {
        HttpURLConnection probe = null;
        try {
            probe = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/api/ready").toURL()
                    .openConnection(Proxy.NO_PROXY);
            probe.setConnectTimeout(500);
            probe.setReadTimeout(2000);
            return probe.getResponseCode() > 0;
        } catch (IOException notYet) {
            return false;
        } finally {
            if (probe != null) {
                // Closes the probe's connection at once: a memory baseline must not count it.
                probe.disconnect();
            }
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

    static long parseHistogramTotal(String histogram) {
        return firstNumber(HISTOGRAM_TOTAL, histogram, "no Total line");
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(jdkTool("jcmd"), Long.toString(pid()), command).redirectErrorStream(true)
                .start();
        String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!jcmd.waitFor(120, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
            throw new IOException("jcmd " + command + " failed: " + output);
        }
        return output;
    }

    /** Resident memory, in bytes, from {@code /proc/<pid>/status}. */
    long residentMemory() throws IOException {
        return firstNumber(RSS, Files.readString(Path.of("/proc", Long.toString(pid()), "status")), "no VmRSS") * 1024;
    }

    private static long firstNumber(Pattern pattern, String text, String missing) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            throw new IllegalStateException(missing + " in: " + text);
        }
        return Long.parseLong(matcher.group(1));
    }

    /** CPU time a process has used so far, user and system, in nanoseconds (the JDK reads /proc/<pid>/stat). */
    static long cpuNanos(long pid) {
        return ProcessHandle.of(pid).flatMap(process -> process.info().totalCpuDuration())
                .orElseThrow(() -> new IllegalStateException("no CPU time for process " + pid)).toNanos();
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
