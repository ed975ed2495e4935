package dev.chatwire.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A helper process of the benchmark in a JVM of its own (the MongoDB stand-in, a delay proxy): started with the
 * benchmark's class path, it prints {@code port N} once it listens and lives until its standard input closes, which
 * happens when this handle is closed or the benchmark dies. Its CPU time is read from {@code /proc}.
 */
final class ChildJvm implements AutoCloseable {

    private final String name;
    private final Process process;
    private final int port;

    private ChildJvm(String name, Process process, int port) {
        this.name = name;
        this.process = process;
        this.port = port;
    }

    /**
     * Starts {@code mainClass} with a small heap and waits for the port it prints.
     *
     * @param logFile where its standard error goes
     */
    static ChildJvm start(String name, Class<?> mainClass, Path logFile, String... arguments) throws IOException {
        // Its log goes to standard error, the log file, so that standard output carries only the port line.
        List<String> command = ServerProcess.javaCommand(List.of("-Xmx512m", "-XX:+UseSerialGC",
                "-Dorg.slf4j.simpleLogger.logFile=System.err"), mainClass.getName(), arguments);
        Process process = new ProcessBuilder(command).redirectError(logFile.toFile()).start();
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.US_ASCII));
        String line = output.readLine();
        if (line == null || !line.startsWith("port ")) {
            process.destroyForcibly();
            throw new IOException(name + " did not start (it printed " + line + "); see " + logFile);
        }
        return new ChildJvm(name, process, Integer.parseInt(line.substring(5).trim()));
    }

    /** In the child: blocks until the parent closes standard input or dies. */
    static void awaitParentGone() throws IOException {
        InputStream in = System.in;
        byte[] ignored = new byte[64];
        while (in.read(ignored) >= 0) {
            // Nothing is sent on purpose; whatever comes is read and dropped until the end of the stream.
        }
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** Closes its standard input, then kills it if it has not exited within 5 s. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
