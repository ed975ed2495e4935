package dev.chatwire.benchmark;

import dev.chatwire.testing.TcpLink;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The network between the servers and a backend: {@code java DelayProxy <targetHost> <targetPort> <delayMillis>} runs
 * a {@link TcpLink} that holds every chunk that long in each direction, prints {@code port N} once it listens, and
 * runs until its standard input closes. It runs in a JVM of its own so that its CPU is measured apart from the
 * servers' and the backends'.
 */
public final class DelayProxy {

    private DelayProxy() {
    }

    /** Proxies {@code <targetHost>:<targetPort>} until standard input closes. */
    public static void main(String[] args) throws IOException {
        try (TcpLink link = TcpLink.to(new InetSocketAddress(args[0], Integer.parseInt(args[1])))) {
            link.delay(Duration.ofNanos((long) (Double.parseDouble(args[2]) * 1_000_000)));
            ChildProcess.announcePortAndAwaitParent(link.port());
        }
    }
}
