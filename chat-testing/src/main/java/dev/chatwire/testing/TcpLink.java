package dev.chatwire.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP link on a free loopback port to a target (a Redis, a MongoDB, a chat server) that a test degrades as a network
 * would: it can delay every chunk each way, drop the open connections, refuse new ones, black-hole the traffic, or
 * drop what the target sends. Bytes keep their order in every mode, and the end of a stream is passed on as a
 * half-close, as late as the bytes before it.
 *
 * <p>Each direction of each connection has a thread of its own, and its delayed chunks wait on a second one of that
 * direction's, so a slow reader at one end slows only its own connection. Thread-safe.
 */
public final class TcpLink implements AutoCloseable {

    private enum Mode { PASS, REFUSE, BLACK_HOLE, DROP_REPLIES }

    private final InetSocketAddress target;
    private final ServerSocket listener;
    private final ExecutorService pumps = Executors.newCachedThreadPool(pump -> daemon("tcp-link", pump));
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile Mode mode = Mode.PASS;
    private volatile long delayNanos;

    private TcpLink(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
        pumps.execute(this::accept);
    }

    /** A link to {@code port} on the loopback address. */
    public static TcpLink to(int port) throws IOException {
        return to(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    /** A link to {@code target}, listening on a free loopback port. */
    public static TcpLink to(InetSocketAddress target) throws IOException {
        return new TcpLink(target);
    }

    /** The port to connect to instead of the target's. */
    public int port() {
        return listener.getLocalPort();
    }

    /** Connections accepted and passed on to the target so far. */
    public int connections() {
        return accepted.get();
    }

    /** Holds every chunk this long before it goes on, each way; zero for none. */
    public void delay(Duration delay) {
        delayNanos = delay.toNanos();
    }

    /** Drops every open connection, both ends, as a broken link would; new ones are accepted. */
    public void cut() {
        open.forEach(TcpLink::closeQuietly);
    }

    /** Drops every open connection and refuses new ones until {@link #heal}, as a target that is down. */
    public void refuse() {
        mode = Mode.REFUSE;
        cut();
    }

    /**
     * Lets nothing through until {@link #heal}, with every connection left open, as a partitioned network: what was
     * sent meanwhile arrives once the link heals, as TCP would retransmit it.
     */
    public void blackHole() {
        mode = Mode.BLACK_HOLE;
    }

    /** Drops what the target sends until {@link #heal}, with every connection left open: a reply lost on the way. */
    public void dropReplies() {
        mode = Mode.DROP_REPLIES;
    }

    /** Back to a working link, without delay. */
    public synchronized void heal() {
        delayNanos = 0;
        mode = Mode.PASS;
        notifyAll();
    }

    /** Stops listening and drops every connection. */
    @Override
    public void close() {
        closeQuietly(listener);
        cut();
        pumps.shutdownNow();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (mode == Mode.REFUSE) {
                    closeQuietly(client);
                    continue;
                }
                Socket upstream = new Socket();
                try {
                    upstream.connect(target, 5_000);
                    client.setTcpNoDelay(true);
                    upstream.setTcpNoDelay(true);
                } catch (IOException unreachable) {
                    // The client sees its connection end, as it would if the target were down.
                    closeQuietly(client);
                    closeQuietly(upstream);
                    continue;
                }
                open.add(client);
                open.add(upstream);
                accepted.incrementAndGet();
                AtomicInteger directions = new AtomicInteger(2);
                pumps.execute(() -> pump(client, upstream, false, directions));
                pumps.execute(() -> pump(upstream, client, true, directions));
            } catch (IOException closed) {
                // The listener was closed: nothing more is accepted.
            }
        }
    }

    /**
     * Carries one direction of a connection until its end, which it passes on as a half-close; the connection is
     * closed once both directions ended, or at once when either fails.
     */
    private void pump(Socket from, Socket to, boolean reply, AtomicInteger directions) {
        // Delayed chunks wait their turn on one thread, in the order they came, each until it is due: a chunk never
        // overtakes one before it, even when the delay shrinks or ends meanwhile.
        ExecutorService delayed = null;
        AtomicInteger waiting = new AtomicInteger();
        byte[] buffer = new byte[64 * 1024];
        try {
            InputStream in = from.getInputStream();
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                if (mode == Mode.BLACK_HOLE) {
                    awaitTraffic();
                }
                if (reply && mode == Mode.DROP_REPLIES) {
                    continue;
                }
                byte[] chunk = Arrays.copyOf(buffer, read);
                long delay = delayNanos;
                if (delay == 0 && waiting.get() == 0) {
                    to.getOutputStream().write(chunk);
                    continue;
                }
                if (delayed == null) {
                    delayed = Executors.newSingleThreadExecutor(writes -> daemon("tcp-link-delay", writes));
                }
                long due = System.nanoTime() + delay;
                waiting.incrementAndGet();
                delayed.execute(() -> {
                    if (awaitDue(due)) {
                        write(from, to, chunk);
                    }
                    waiting.decrementAndGet();
                });
            }
            if (delayed == null) {
                halfClose(from, to, directions);
            } else {
                delayed.execute(() -> halfClose(from, to, directions));
            }
        } catch (IOException | InterruptedException e) {
            closeBoth(from, to);
        } finally {
            if (delayed != null) {
                // Chunks already handed over still go out.
                delayed.shutdown();
            }
        }
    }

    /**
     * Waits until {@code due} ({@link System#nanoTime}); false if interrupted, as when the link closes. Parks rather
     * than sleeps: Java 17's {@code Thread.sleep} rounds a part of a millisecond to a whole one.
     */
    private static boolean awaitDue(long due) {
        for (long left = due - System.nanoTime(); left > 0; left = due - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.currentThread().isInterrupted()) {
                return false;
            }
        }
        return true;
    }

    /** Holds a chunk while the link is black-holed. */
    private synchronized void awaitTraffic() throws InterruptedException {
        while (mode == Mode.BLACK_HOLE) {
            wait();
        }
    }

    private void write(Socket from, Socket to, byte[] chunk) {
        try {
            to.getOutputStream().write(chunk);
        } catch (IOException e) {
            closeBoth(from, to);
        }
    }

    private void halfClose(Socket from, Socket to, AtomicInteger directions) {
        try {
            to.shutdownOutput();
        } catch (IOException e) {
            closeBoth(from, to);
            return;
        }
        if (directions.decrementAndGet() == 0) {
            closeBoth(from, to);
        }
    }

    private void closeBoth(Socket a, Socket b) {
        for (Socket socket : new Socket[]{a, b}) {
            open.remove(socket);
            closeQuietly(socket);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // Closing what may already be closed.
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }
}
