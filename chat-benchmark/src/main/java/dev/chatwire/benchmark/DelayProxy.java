package dev.chatwire.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on loopback that holds every byte for a fixed delay in each direction, as a network between the servers
 * and a backend would: {@code java DelayProxy <targetHost> <targetPort> <delayMillis>} prints {@code port N} once it
 * listens and runs until its standard input closes. Each direction of each connection has a reader, which stamps what
 * it reads with the time it may leave, and a writer, which sends chunks in the order they were read once their time
 * comes: bytes are delayed, never reordered, and a slow reader upstream slows only its own connection. It runs in a JVM
 * of its own so that its CPU is measured apart from the servers' and the backends'.
 */
public final class DelayProxy {

    private static final int CHUNK = 64 * 1024;
    /** What a reader queues after the end of its stream, so that its writer half-closes the other side in turn. */
    private static final Chunk END = new Chunk(0, new byte[0]);

    private DelayProxy() {
    }

    /** A run of bytes read at once and the {@link System#nanoTime()} at which it may be written. */
    private record Chunk(long dueNanos, byte[] bytes) {
    }

    /** Proxies {@code <targetHost>:<targetPort>} until standard input closes. */
    public static void main(String[] args) throws IOException {
        InetSocketAddress target = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        long delayNanos = TimeUnit.MICROSECONDS.toNanos((long) (Double.parseDouble(args[2]) * 1000));
        ServerSocket listener = new ServerSocket();
        listener.bind(new InetSocketAddress("127.0.0.1", 0), 1024);
        System.out.println("port " + listener.getLocalPort());
        System.out.flush();
        Thread acceptor = new Thread(() -> accept(listener, target, delayNanos), "proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        ChildJvm.awaitParentGone();
        System.exit(0);
    }

    private static void accept(ServerSocket listener, InetSocketAddress target, long delayNanos) {
        while (true) {
            try {
                Socket client = listener.accept();
                Socket upstream = new Socket();
                try {
                    upstream.connect(target, 5000);
                } catch (IOException e) {
                    client.close();
                    continue;
                }
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                pipe(client, upstream, delayNanos);
                pipe(upstream, client, delayNanos);
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Starts the reader and the writer that carry {@code from}'s bytes to {@code to}. */
    private static void pipe(Socket from, Socket to, long delayNanos) {
        BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        daemon("proxy-read", () -> read(from, to, queue, delayNanos));
        daemon("proxy-write", () -> write(to, from, queue));
    }

    private static void read(Socket from, Socket to, BlockingQueue<Chunk> queue, long delayNanos) {
        byte[] buffer = new byte[CHUNK];
        try {
            InputStream in = from.getInputStream();
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                queue.add(new Chunk(System.nanoTime() + delayNanos, Arrays.copyOf(buffer, n)));
            }
        } catch (IOException e) {
            closeBoth(from, to);
        }
        queue.add(END);
    }

    private static void write(Socket to, Socket from, BlockingQueue<Chunk> queue) {
        try {
            OutputStream out = to.getOutputStream();
            for (Chunk chunk = queue.take(); chunk != END; chunk = queue.take()) {
                for (long wait = chunk.dueNanos() - System.nanoTime(); wait > 0;
                     wait = chunk.dueNanos() - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                out.write(chunk.bytes());
            }
            to.shutdownOutput();
        } catch (IOException | InterruptedException e) {
            closeBoth(from, to);
        }
    }

    private static void closeBoth(Socket a, Socket b) {
        try {
            a.close();
        } catch (IOException ignored) {
            // Closing is best effort: the connection is gone either way.
        }
        try {
            b.close();
        } catch (IOException ignored) {
            // As above.
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }
}
