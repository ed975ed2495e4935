package dev.chatwire.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy on loopback that holds every byte for a fixed delay in each direction, as a network between the servers
 * and a backend would: {@code java DelayProxy <targetHost> <targetPort> <delayMillis>} prints {@code port N} once it
 * listens and runs until its standard input closes. Each direction of each connection has a reader thread, which
 * hands what it reads to a single-threaded scheduler of its own to be written once the delay has passed: chunks leave
 * in the order they came (their delays are equal, and the scheduler runs tasks due at once in submission order), so
 * bytes are delayed, never reordered, and a slow reader upstream slows only its own connection. It runs in a JVM of
 * its own so that its CPU is measured apart from the servers' and the backends'.
 */
public final class DelayProxy {

    private DelayProxy() {
    }

    /** Proxies {@code <targetHost>:<targetPort>} until standard input closes. */
    public static void main(String[] args) throws IOException {
        InetSocketAddress target = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        long delayNanos = TimeUnit.MICROSECONDS.toNanos((long) (Double.parseDouble(args[2]) * 1000));
        ServerSocket listener = new ServerSocket(0, 1024, InetAddress.getByName("127.0.0.1"));
        daemon("proxy-accept", () -> accept(listener, target, delayNanos)).start();
        ChildProcess.announcePortAndAwaitParent(listener.getLocalPort());
        System.exit(0);
    }

    private static void accept(ServerSocket listener, InetSocketAddress target, long delayNanos) {
        try {
            while (true) {
                Socket client = listener.accept();
                Socket upstream = new Socket();
                try {
                    upstream.connect(target, 5000);
                    client.setTcpNoDelay(true);
                    upstream.setTcpNoDelay(true);
                } catch (IOException e) {
                    closeBoth(client, upstream);
                    continue;
                }
                pipe(client, upstream, delayNanos);
                pipe(upstream, client, delayNanos);
            }
        } catch (IOException listenerFailed) {
            // Nothing more can be accepted; the connections already open carry on.
        }
    }

    /** Carries {@code from}'s bytes to {@code to}, each chunk {@code delayNanos} after it was read. */
    private static void pipe(Socket from, Socket to, long delayNanos) {
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(
                writes -> daemon("proxy-write", writes));
        daemon("proxy-read", () -> {
            byte[] buffer = new byte[64 * 1024];
            try {
                InputStream in = from.getInputStream();
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    byte[] chunk = Arrays.copyOf(buffer, n);
                    writer.schedule(() -> write(to, chunk, from), delayNanos, TimeUnit.NANOSECONDS);
                }
                // The end of the stream travels as late as the bytes before it: the other side half-closes then.
                writer.schedule(() -> write(to, null, from), delayNanos, TimeUnit.NANOSECONDS);
            } catch (IOException e) {
                closeBoth(from, to);
            }
            writer.shutdown();
        }).start();
    }

    /** Writes a chunk to {@code to}, or half-closes it for a null chunk; on failure the connection is closed. */
    private static void write(Socket to, byte[] chunk, Socket from) {
        try {
            if (chunk == null) {
                to.shutdownOutput();
            } else {
                to.getOutputStream().write(chunk);
            }
        } catch (IOException e) {
            closeBoth(from, to);
        }
    }

    private static void closeBoth(Socket a, Socket b) {
        for (Socket socket : new Socket[]{a, b}) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Closing is best effort: the connection is gone either way.
            }
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }
}
