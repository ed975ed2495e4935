package dev.chatwire.benchmark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A delay proxy started as the benchmark starts it (a {@link BackendProcess} JVM) carries every byte both ways, in
 * order; how long it holds them is a figure, not a test.
 */
class BackendProcessTest {

    @TempDir
    Path dir;

    @Test
    void bytesWrittenInManySmallPiecesArriveWholeAndInOrderBothWays() throws Exception {
        try (ServerSocket echo = new ServerSocket()) {
            echo.bind(new InetSocketAddress("127.0.0.1", 0));
            Thread echoer = new Thread(() -> {
                try (Socket accepted = echo.accept()) {
                    accepted.getInputStream().transferTo(accepted.getOutputStream());
                } catch (Exception e) {
                    // The test's own assertions say what went wrong.
                }
            });
            echoer.start();
            try (ChildProcess proxy = ChildProcess.helper("proxy", dir.resolve("proxy.log"), "proxy",
                    "127.0.0.1", Integer.toString(echo.getLocalPort()), "1");
                 Socket client = new Socket("127.0.0.1", proxy.port())) {
                byte[] sent = new byte[200_000];
                new Random(42).nextBytes(sent);
                Thread writer = new Thread(() -> {
                    try {
                        OutputStream out = client.getOutputStream();
                        for (int offset = 0; offset < sent.length; offset += 700) {
                            out.write(sent, offset, Math.min(700, sent.length - offset));
                        }
                        client.shutdownOutput();
                    } catch (Exception e) {
                        // As above.
                    }
                });
                writer.start();
                InputStream in = client.getInputStream();

                assertThat(in.readAllBytes()).isEqualTo(sent);
                writer.join();
            }
            echoer.join();
        }
    }
}
