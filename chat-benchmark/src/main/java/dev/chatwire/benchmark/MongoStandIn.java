package dev.chatwire.benchmark;

import de.bwaldvogel.mongo.MongoServer;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The benchmark's MongoDB: mongo-java-server on {@link IndexedMemoryBackend}, in a JVM of its own so that its CPU is
 * measured apart from the servers'. Prints {@code port N} once it listens on loopback, and exits when its standard
 * input closes, so that it never outlives the benchmark that started it.
 */
public final class MongoStandIn {

    private MongoStandIn() {
    }

    /** Starts the server on a free loopback port and serves until standard input closes. */
    public static void main(String[] args) throws IOException {
        MongoServer server = new MongoServer(new IndexedMemoryBackend());
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        System.out.println("port " + server.getLocalAddress().getPort());
        System.out.flush();
        ChildJvm.awaitParentGone();
        server.shutdownNow();
    }
}
