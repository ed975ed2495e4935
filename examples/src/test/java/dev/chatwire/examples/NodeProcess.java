package dev.chatwire.examples;

import org.awaitility.core.ConditionTimeoutException;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * An example server in a JVM of its own, on a port that stays its own across restarts, so a test can kill it without
 * any cleanup (SIGKILL) and start it again where its clients reconnect.
 */
final class NodeProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final String name;
    private final Map<String, String> environment;
    private final int port;
    private Process process;

    private NodeProcess(String name, Map<String, String> environment, int port) {
        this.name = name;
        this.environment = environment;
        this.port = port;
    }

    /** Starts {@link ChatServerApp} with these environment variables (its port is chosen here) and waits for it. */
    static NodeProcess start(String name, Map<String, String> environment)
            throws IOException, InterruptedException {
        NodeProcess node = new NodeProcess(name, new HashMap<>(environment), freePort());
        node.start();
        return node;
    }

    int port() {
        return port;
    }

    /** Starts the node again on its port, after {@link #kill}. */
    synchronized void start() throws IOException, InterruptedException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-cp", classpath, ChatServerApp.class.getName())
                .redirectErrorStream(true)
                // One log per node, kept across restarts, for whoever reads a failure.
                .redirectOutput(log());
        builder.environment().putAll(environment);
        builder.environment().put("CHAT_PORT", Integer.toString(port));
        Process started = builder.start();
        process = started;
        try {
            await().atMost(START_TIMEOUT).until(() -> {
                if (!started.isAlive()) {
                    throw new AssertionError("node " + name + " exited with " + started.exitValue());
                }
                try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    return socket.isConnected();
                } catch (IOException notYet) {
                    return false;
                }
            });
        } catch (ConditionTimeoutException e) {
            // Where it is stuck, in its log, for whoever reads the failure.
            new ProcessBuilder(System.getProperty("java.home") + File.separator + "bin" + File.separator + "jcmd",
                    Long.toString(started.pid()), "Thread.print").redirectErrorStream(true).redirectOutput(log())
                    .start().waitFor();
            throw new AssertionError("node " + name + " did not listen on " + port + " within " + START_TIMEOUT
                    + "; its threads are in " + new File("target", "node-" + name + ".log"), e);
        }
    }

    private ProcessBuilder.Redirect log() {
        return ProcessBuilder.Redirect.appendTo(new File("target", "node-" + name + ".log"));
    }

    /** Ends the node at once, as a crash would: no close frames, no presence cleanup. */
    synchronized void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public synchronized void close() throws InterruptedException {
        if (process != null) {
            kill();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
