package dev.chatwire.testing;

import de.bwaldvogel.mongo.MongoServer;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * MongoDB's wire protocol in this process (mongo-java-server's memory backend) on a free loopback port, reached by
 * the real driver over TCP. It answers Chatwire's lookups through the unique indexes, as a real server does (see
 * {@code IndexedMemoryBackend}), and can be stopped and started again on the same port with its data, like a restarted
 * {@code mongod}.
 */
public final class MongoTestServer implements AutoCloseable {

    private final IndexedMemoryBackend backend = new IndexedMemoryBackend();
    private final int port;
    private MongoServer server;

    private MongoTestServer() {
        server = new MongoServer(backend);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        port = server.getLocalAddress().getPort();
    }

    /** Starts a server on a free loopback port. */
    public static MongoTestServer start() {
        return new MongoTestServer();
    }

    /** The port it listens on. */
    public int port() {
        return port;
    }

    /** {@code mongodb://127.0.0.1:<port>}, to which a database name may be appended after a slash. */
    public String connectionString() {
        return "mongodb://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + port;
    }

    /** Stops listening and drops every client connection, as a crashed server would. */
    public synchronized void stop() {
        if (server != null) {
            server.shutdownNow();
            server = null;
        }
    }

    /** Starts serving the same data on the same port again. */
    public synchronized void restart() {
        if (server == null) {
            server = new MongoServer(backend);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        }
    }

    /** Stops it, as {@link #stop} does. */
    @Override
    public void close() {
        stop();
    }
}
