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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP link on a free loopback port to a target (a Redis, a MongoDB, a chat server) that a test degrades as a network
 * would: it can delay every chunk each way, drop the open connections, refuse new ones, black-hole the traffic, or
 * drop what the target sends. The faults are modes that replace each other, and {@link #heal} ends them all. Bytes
 * keep their order in every mode, and the end of a stream is passed on as a half-close, as late as the bytes before
 * it.
 *
 * <p>Each direction of each connection has a thread of its own, and its delayed chunks wait on a second one of that
 * direction's, so a slow reader at one end slows only its own connection. Thread-safe.
 */
public final class TcpLink implements AutoCloseable {

    private enum Mode { PASS, REFUSE, BLACK_HOLE, DROP_REPLIES }

    private final InetSocketAddress target;
    private final ServerSocket listener;
    private final ExecutorService pumps;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicLong droppedBytes = new AtomicLong();
    private volatile Mode mode = Mode.PASS;
    private volatile long delayNanos;
    private volatile boolean closed;

    private TcpLink(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
        String name = "tcp-link-" + listener.getLocalPort();
        this.pumps = Executors.newCachedThreadPool(pump -> daemon(name, pump));
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

    /** Bytes from the target dropped by {@link #dropReplies} so far. */
    public long droppedBytes() {
        return droppedBytes.get();
    }

    /**
     * Holds every chunk read from now on this long before it goes on, each way; zero for none. It is no mode: it
     * lasts through the faults until {@link #heal}.
     *
     * @throws IllegalArgumentException if the delay is negative
     */
    public void delay(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("a negative delay: " + delay);
        }
        delayNanos = delay.toNanos();
    }

    /** Drops every open connection, both ends, as a broken link would; new ones are accepted. */
    public void cut() {
        open.forEach(TcpLink::closeQuietly);
    }

    /**
     * Drops every open connection, and until {@link #heal} closes each new one as soon as it is accepted: clients see
     * their connection end at once, as when the target is down.
     */
    public void refuse() {
        setMode(Mode.REFUSE);
        cut();
    }

    /**
     * Holds every chunk read from now on until {@link #heal}, as a partitioned network: connections stay open and new
     * ones are accepted, and what is sent meanwhile arrives once the link heals, as TCP would retransmit it. Chunks
     * already delayed still go out when due.
     */
    public void blackHole() {
        setMode(Mode.BLACK_HOLE);
    }

    /** Drops what the target sends until {@link #heal}, with every connection left open: a reply lost on the way. */
    public void dropReplies() {
        setMode(Mode.DROP_REPLIES);
    }

    /** Back to a working link, without delay. */
    public void heal() {
        delayNanos = 0;
        setMode(Mode.PASS);
    }

    /** Stops listening and drops every connection; chunks still delayed are dropped with them. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        cut();
        pumps.shutdownNow();
    }

    /** Changes the mode and wakes the pumps a black hole holds, which then carry on as the new mode says. */
    private synchronized void setMode(Mode next) {
        mode = next;
        notifyAll();
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    // Out of file descriptors, say: try again shortly rather than spin.
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                }
                continue;
            }
            if (mode == Mode.REFUSE) {
                closeQuietly(client);
                continue;
            }
            connect(client);
        }
    }

    private void connect(Socket client) {
        Socket upstream = new Socket();
        try {
            upstream.connect(target, 5_000);
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            open.add(client);
            open.add(upstream);
            // A refuse() or close() since the accept has cut what was open without this connection.
            if (mode == Mode.REFUSE || closed) {
                closeBoth(client, upstream);
                return;
            }
            accepted.incrementAndGet();
            AtomicInteger directions = new AtomicInteger(2);
            pumps.execute(() -> pump(client, upstream, false, directions));
            pumps.execute(() -> pump(upstream, client, true, directions));
        } catch (IOException | RejectedExecutionException e) {
            // The target is unreachable, or the link closed: the client sees its connection end.
            closeBoth(client, upstream);
        }
    }

    /**
     * Carries one direction of a connection until its end, which it passes on as a half-close; the connection is
     * closed once both directions ended, or at once when either fails or the link refuses.
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
                Mode now = mode == Mode.BLACK_HOLE ? awaitTraffic() : mode;
                if (now == Mode.REFUSE) {
                    throw new IOException("the link refuses");
                }
                if (reply && now == Mode.DROP_REPLIES) {
                    droppedBytes.addAndGet(read);
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
                    } else {
                        closeBoth(from, to);
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
                // Chunks already handed over still go out, unless the link closes first.
                delayed.shutdown();
            }
        }
    }

    /** Holds a chunk while the link is black-holed; returns the mode that ended the hold. */
    private synchronized Mode awaitTraffic() throws InterruptedException {
        while (mode == Mode.BLACK_HOLE) {
            wait();
        }
        return mode;
    }

    /**
     * Waits until {@code due} ({@link System#nanoTime}); false if the link closed meanwhile. Parks rather than
     * sleeps: Java 17's {@code Thread.sleep} rounds a part of a millisecond to a whole one.
     */
    private boolean awaitDue(long due) {
        for (long left = due - System.nanoTime(); left > 0 && !closed; left = due - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
        return !closed;
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
