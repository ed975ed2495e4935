package dev.chatwire.benchmark;

import dev.chatwire.testing.MongoTestServer;
import dev.chatwire.testing.TcpLink;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The main of the benchmark's backend JVMs, each of its own so that its CPU is measured apart from the servers':
 * {@code mongo} serves the MongoDB stand-in ({@link MongoTestServer}), {@code proxy <targetHost> <targetPort>
 * <delayMillis>} the network between the servers and a backend (a {@link TcpLink} that holds every chunk that long in
 * each direction). Either prints {@code port N} once it listens and runs until its standard input closes.
 */
public final class BackendProcess {

    private BackendProcess() {
    }

    /** Serves what the arguments name until standard input closes. */
    public static void main(String[] args) throws IOException {
        switch (args[0]) {
            case "mongo" -> {
                try (MongoTestServer mongo = MongoTestServer.start()) {
                    ChildProcess.announcePortAndAwaitParent(mongo.port());
                }
            }
            case "proxy" -> {
                try (TcpLink link = TcpLink.to(new InetSocketAddress(args[1], Integer.parseInt(args[2])))) {
                    link.delay(Duration.ofNanos((long) (Double.parseDouble(args[3]) * 1_000_000)));
                    ChildProcess.announcePortAndAwaitParent(link.port());
                }
            }
            default -> throw new IllegalArgumentException("usage: BackendProcess mongo | proxy <host> <port> "
                    + "<delayMillis>");
        }
    }
}
