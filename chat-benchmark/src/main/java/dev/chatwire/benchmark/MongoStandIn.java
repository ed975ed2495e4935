package dev.chatwire.benchmark;

import de.bwaldvogel.mongo.MongoServer;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The benchmark's MongoDB: mongo-java-server on {@link IndexedMemoryBackend}, in a JVM of its own ({@link ChildJvm}'s
 * helper protocol) so that its CPU is measured apart from the servers'.
 */
public final class MongoStandIn {

    private MongoStandIn() {
    }

    /** Serves on a free loopback port, which it prints as {@code port N}, until standard input closes. */
    public static void main(String[] args) throws IOException {
        MongoServer server = new MongoServer(new IndexedMemoryBackend());
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        System.out.println("port " + server.getLocalAddress().getPort());
        System.out.flush();
        ChildJvm.awaitParentGone();
        server.shutdownNow();
    }
}
