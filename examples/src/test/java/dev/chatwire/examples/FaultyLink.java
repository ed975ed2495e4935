package dev.chatwire.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP link on loopback between the example servers and a backend (Redis, MongoDB) that a test can degrade: delay
 * every chunk each way, cut every connection and refuse new ones, or black-hole traffic (connections stay open and
 * nothing arrives, as when a network partitions; what was sent meanwhile arrives once the link heals, as TCP would
 * retransmit it). Chunks keep their order in every mode.
 */
final class FaultyLink implements AutoCloseable {

    private enum Mode { PASS, CUT, BLACK_HOLE }

    private final InetSocketAddress target;
    private final ServerSocket listener;
    private final ExecutorService pumps = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "faulty-link");
        thread.setDaemon(true);
        return thread;
    });
    private final ScheduledExecutorService delays;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile Mode mode = Mode.PASS;
    private volatile long delayNanos;

    /**
     * @param targetPort the backend's port on loopback
     * @param delays     where delayed chunks wait; one thread, so that chunks leave in the order they came
     */
    FaultyLink(int targetPort, ScheduledExecutorService delays) throws IOException {
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        this.delays = delays;
        this.listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        pumps.execute(this::accept);
    }

    /** The port the servers connect to instead of the backend's. */
    int port() {
        return listener.getLocalPort();
    }

    /** Every chunk waits this long before it goes on, each way; zero for none. */
    void delay(Duration delay) {
        delayNanos = delay.toNanos();
    }

    /** Drops every open connection and refuses new ones until {@link #heal}. */
    void cut() {
        mode = Mode.CUT;
        open.forEach(FaultyLink::closeQuietly);
    }

    /** Keeps connections open but lets nothing through until {@link #heal}. */
    void blackHole() {
        mode = Mode.BLACK_HOLE;
    }

    /** Back to a working link, without delay. */
    synchronized void heal() {
        delayNanos = 0;
        mode = Mode.PASS;
        notifyAll();
    }

    @Override
    public void close() {
        closeQuietly(listener);
        open.forEach(FaultyLink::closeQuietly);
        pumps.shutdownNow();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (mode == Mode.CUT) {
                    closeQuietly(client);
                    continue;
                }
                Socket backend = new Socket();
                backend.connect(target, 2_000);
                open.add(client);
                open.add(backend);
                pumps.execute(() -> pump(client, backend));
                pumps.execute(() -> pump(backend, client));
            } catch (IOException e) {
                // The listener closed, or the backend is down: the server sees its connection end, as it would.
            }
        }
    }

    /** Copies one direction of a connection until either side ends, and then ends both. */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream()) {
            OutputStream out = to.getOutputStream();
            // Delayed chunks not yet written, and when the last of them is due: a chunk never overtakes one before
            // it, even when the delay shrinks or ends meanwhile.
            AtomicInteger waiting = new AtomicInteger();
            long lastDue = 0;
            int read;
            while ((read = in.read(buffer)) >= 0) {
                awaitTraffic();
                byte[] chunk = Arrays.copyOf(buffer, read);
                long delay = delayNanos;
                if (delay == 0 && waiting.get() == 0) {
                    out.write(chunk);
                    continue;
                }
                long due = Math.max(lastDue, System.nanoTime() + delay);
                lastDue = due;
                waiting.incrementAndGet();
                delays.schedule(() -> {
                    writeQuietly(out, chunk, to);
                    waiting.decrementAndGet();
                }, due - System.nanoTime(), TimeUnit.NANOSECONDS);
            }
        } catch (IOException | InterruptedException e) {
            // Either side ended, or the link was cut or closed.
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    /** Holds a chunk while the link is black-holed. */
    private synchronized void awaitTraffic() throws InterruptedException, IOException {
        while (mode == Mode.BLACK_HOLE) {
            wait();
        }
        if (mode == Mode.CUT) {
            throw new IOException("the link is cut");
        }
    }

    private static void writeQuietly(OutputStream out, byte[] chunk, Socket to) {
        try {
            out.write(chunk);
        } catch (IOException e) {
            closeQuietly(to);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // Closing what may already be closed.
        }
    }
}
