package dev.chatwire.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on a free loopback port in front of the test server, so that a test can do to a client's connection
 * what a network does: cut it, refuse new ones, or silently swallow what the server sends.
 */
final class LoopbackProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "loopback-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean refusing;
    private volatile boolean swallowing;

    private LoopbackProxy(ServerSocket listener, int targetPort) {
        this.listener = listener;
        this.targetPort = targetPort;
    }

    static LoopbackProxy to(int targetPort) throws IOException {
        LoopbackProxy proxy = new LoopbackProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), targetPort);
        proxy.threads.execute(proxy::accept);
        return proxy;
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Connections accepted and passed on to the server so far. */
    int connections() {
        return accepted.get();
    }

    /** Closes every open connection, both sides, as a dropped link would. */
    void cut() {
        for (Socket socket : open) {
            close(socket);
        }
    }

    /** While refusing, a new connection is accepted and closed at once, as if the server were unreachable. */
    void refuse(boolean refuse) {
        refusing = refuse;
    }

    /** While swallowing, what the server sends is dropped, and the connections stay open: a silent link. */
    void swallowDownstream(boolean swallow) {
        swallowing = swallow;
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (refusing) {
                    close(client);
                    continue;
                }
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                open.add(client);
                open.add(server);
                accepted.incrementAndGet();
                threads.execute(() -> pump(client, server, false));
                threads.execute(() -> pump(server, client, true));
            } catch (IOException e) {
                // The listener was closed, or the server refused: the client sees its connection fail.
            }
        }
    }

    private void pump(Socket from, Socket to, boolean downstream) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) != -1) {
                if (!(downstream && swallowing)) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            }
        } catch (IOException closed) {
            // Either side went away; both are closed below.
        } finally {
            close(from);
            close(to);
        }
    }

    private void close(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // Already closed.
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        cut();
        threads.shutdownNow();
    }
}
