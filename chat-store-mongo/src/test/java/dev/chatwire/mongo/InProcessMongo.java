package dev.chatwire.mongo;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * An in-process MongoDB wire-protocol server (mongo-java-server, memory backend) on a free loopback port, reached by
 * the real driver over TCP. It can be stopped and started again on the same port with its data, like a restarted
 * mongod.
 */
final class InProcessMongo implements AutoCloseable {

    /** Keeps its data when its server shuts down, so a restart finds it again. */
    private static final class DurableMemoryBackend extends MemoryBackend {
        @Override
        public void close() {
            // MongoServer.shutdown closes its backend; this one outlives the server, and the heap reclaims it.
        }
    }

    private final DurableMemoryBackend backend = new DurableMemoryBackend();
    private final int port;
    private MongoServer server;

    private InProcessMongo() {
        server = new MongoServer(backend);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        port = server.getLocalAddress().getPort();
    }

    /** Starts a server on a free port. */
    static InProcessMongo start() {
        return new InProcessMongo();
    }

    /** {@code mongodb://127.0.0.1:<port>}. */
    String connectionString() {
        return "mongodb://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + port;
    }

    int port() {
        return port;
    }

    /** Stops listening and drops every client connection, as a crashed server would. */
    synchronized void stop() {
        if (server != null) {
            server.shutdownNow();
            server = null;
        }
    }

    /** Starts serving the same data on the same port again. */
    synchronized void restart() {
        if (server == null) {
            server = new MongoServer(backend);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        }
    }

    @Override
    public void close() {
        stop();
    }
}
