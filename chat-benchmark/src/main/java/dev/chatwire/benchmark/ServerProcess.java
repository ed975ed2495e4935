package dev.chatwire.benchmark;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server under test, running in a child JVM of its own with the benchmark's class path, on a free loopback port,
 * and the tools that look into it: {@code jcmd} for full GCs, heap figures and class histograms, and
 * {@code /proc/<pid>/status} for resident memory. Its output goes to a log file.
 */
final class ServerProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServerProcess.class);
    /** Generous: several JVMs start at once on a shared two-core machine (a smoke run saw one take over 60 s). */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");
    /** USER_HZ, 100 on every Linux the JDK supports. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;
    private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");

    private final ServerKind kind;
    private final Process process;
    private final int port;
    private final Path logFile;

    private ServerProcess(ServerKind kind, Process process, int port, Path logFile) {
        this.kind = kind;
        this.process = process;
        this.port = port;
        this.logFile = logFile;
    }

    /**
     * Starts a server and waits until it accepts connections.
     *
     * @param jvmArgs flags for the child JVM; the same for both servers of a comparison
     * @param env     more environment variables for it
     * @param secret  the HS256 secret, passed as {@code CHAT_JWT_SECRET}
     */
    static ServerProcess start(ServerKind kind, List<String> jvmArgs, Map<String, String> env, String secret,
                               Path logFile) throws IOException, InterruptedException {
        return start(kind, kind.mainClass(), jvmArgs, env, secret, logFile);
    }

    /** The command that runs {@code mainClass} on this JVM's class path, in a JVM of the same Java. */
    static List<String> javaCommand(List<String> jvmArgs, String mainClass, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(arguments));
        return command;
    }

    /** Starts a server of the given kind from another main class (tests start faulty servers this way). */
    static ServerProcess start(ServerKind kind, String mainClass, List<String> jvmArgs, Map<String, String> env,
                               String secret, Path logFile) throws IOException, InterruptedException {
        int port = freePort();
        List<String> command = javaCommand(jvmArgs, mainClass);
        Files.createDirectories(logFile.getParent());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        builder.environment().put("CHAT_HOST", "127.0.0.1");
        builder.environment().put("CHAT_PORT", Integer.toString(port));
        builder.environment().put("CHAT_JWT_SECRET", secret);
        builder.environment().remove("CHAT_MONGO_URI");
        builder.environment().remove("CHAT_REDIS_URI");
        builder.environment().remove("CHAT_ALLOWED_ORIGINS");
        // The workloads post as one user as fast as the server answers: the per-user REST rates would refuse them.
        builder.environment().put("CHAT_REST_RATE_LIMITS", "off");
        builder.environment().putAll(kind.env());
        builder.environment().putAll(env);
        Process process = builder.start();
        ServerProcess server = new ServerProcess(kind, process, port, logFile);
        server.awaitListening();
        log.debug("{} server pid {} listening on {}", kind.label(), process.pid(), port);
        return server;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(kind.label() + " server exited with " + process.exitValue() + "; see "
                        + logFile);
            }
            if (answersHttp()) {
                return;
            }
            Thread.sleep(50);
        }
        close();
        throw new IOException(kind.label() + " server did not listen within " + START_TIMEOUT + "; see " + logFile);
    }

    /** Whether the server answers an HTTP request at all: its handlers are started, not just its port open. */
    private boolean answersHttp() {
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress("127.0.0.1", port), 500);
            probe.setSoTimeout(2000);
            probe.getOutputStream().write(("GET /api/ready HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] status = probe.getInputStream().readNBytes(9);
            return new String(status, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 ");
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
        String status = Files.readString(Path.of("/proc", Long.toString(pid()), "status"));
        Matcher rss = RSS.matcher(status);
        if (!rss.find()) {
            throw new IOException("no VmRSS in /proc/" + pid() + "/status");
        }
        return Long.parseLong(rss.group(1)) * 1024;
    }

    /** CPU time a process has used so far, user and system, in nanoseconds. */
    static long processCpuNanos(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // The command name may hold spaces; the fields after its closing parenthesis are fixed.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
    }

    /** Runs a {@code jcmd} command against this server and returns its output. */
    String jcmd(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        command.add(Long.toString(pid()));
        command.addAll(List.of(arguments));
        Process jcmd = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = jcmd.getInputStream().readAllBytes();
        if (!jcmd.waitFor(120, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
            throw new IOException("jcmd " + String.join(" ", arguments) + " failed: "
                    + new String(output, StandardCharsets.UTF_8));
        }
        return new String(output, StandardCharsets.UTF_8);
    }

    /** Stops the server (TERM, then KILL after 15 s). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(15, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
