package dev.chatwire.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The link carries bytes in order both ways in every mode, and degrades only as told. */
class TcpLinkTest {

    private final ExecutorService echoes = Executors.newCachedThreadPool();
    private ServerSocket echo;
    private TcpLink link;

    @BeforeEach
    void startEchoServerBehindALink() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        echoes.execute(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket accepted = echo.accept();
                    echoes.execute(() -> echoUntilEnd(accepted));
                } catch (IOException closed) {
                    return;
                }
            }
        });
        link = TcpLink.to(echo.getLocalPort());
    }

    private static void echoUntilEnd(Socket socket) {
        try (socket) {
            socket.getInputStream().transferTo(socket.getOutputStream());
            socket.shutdownOutput();
        } catch (IOException e) {
            // The test's assertions say what went wrong.
        }
    }

    @AfterEach
    void stop() throws IOException {
        link.close();
        echo.close();
        echoes.shutdownNow();
    }

    @Test
    void delayedBytesWrittenInSmallPiecesComeBackWholeAndInOrderThroughAHealMidway() throws Exception {
        link.delay(Duration.ofMillis(1));
        byte[] sent = new byte[200_000];
        new Random(42).nextBytes(sent);
        try (Socket client = connect()) {
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> writeInPieces(client, sent));

            assertThat(client.getInputStream().readAllBytes()).isEqualTo(sent);
            writing.join();
        }
        assertThat(link.connections()).isEqualTo(1);
    }

    @Test
    void aDelayHoldsEachChunkAtLeastThatLongEachWay() throws Exception {
        link.delay(Duration.ofMillis(50));
        try (Socket client = connect()) {
            long start = System.nanoTime();
            roundTrip(client);

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
        }
    }

    @Test
    void aBlackHoleHoldsTrafficUntilTheLinkHeals() throws Exception {
        try (Socket client = connect()) {
            link.blackHole();
            client.getOutputStream().write("held".getBytes());
            client.setSoTimeout(300);
            assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);

            link.heal();
            client.setSoTimeout(10_000);

            assertThat(client.getInputStream().readNBytes(4)).isEqualTo("held".getBytes());
        }
    }

    @Test
    void droppedRepliesAreLostWhileTheRequestsGetThrough() throws Exception {
        try (Socket client = connect()) {
            link.dropReplies();
            client.getOutputStream().write("lost".getBytes());
            await().until(() -> link.droppedBytes() == 4);

            link.heal();
            client.getOutputStream().write("kept".getBytes());

            assertThat(client.getInputStream().readNBytes(4)).isEqualTo("kept".getBytes());
        }
    }

    @Test
    void aCutDropsOpenConnectionsAndAcceptsNewOnes() throws Exception {
        try (Socket cut = connect()) {
            roundTrip(cut);
            link.cut();

            assertThat(cut.getInputStream().read()).isEqualTo(-1);
        }
        try (Socket next = connect()) {
            roundTrip(next);
        }
    }

    @Test
    void aRefusingLinkDropsOpenConnectionsAndClosesNewOnesUntilItHeals() throws Exception {
        try (Socket open = connect()) {
            roundTrip(open);
            link.refuse();

            assertThat(open.getInputStream().read()).isEqualTo(-1);
        }
        try (Socket refused = connect()) {
            assertThat(refused.getInputStream().read()).isEqualTo(-1);
        }
        link.heal();
        try (Socket accepted = connect()) {
            roundTrip(accepted);
        }
        assertThat(link.connections()).isEqualTo(2);
    }

    @Test
    void closingTheLinkDropsConnectionsWithTheirDelayedChunks() throws Exception {
        link.delay(Duration.ofSeconds(30));
        try (Socket client = connect()) {
            client.getOutputStream().write(7);
            link.close();

            assertThat(client.getInputStream().read()).isEqualTo(-1);
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), link.port());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void roundTrip(Socket socket) throws IOException {
        socket.getOutputStream().write(7);
        assertThat(socket.getInputStream().read()).isEqualTo(7);
    }

    private void writeInPieces(Socket socket, byte[] bytes) {
        try {
            OutputStream out = socket.getOutputStream();
            for (int offset = 0; offset < bytes.length; offset += 700) {
                out.write(bytes, offset, Math.min(700, bytes.length - offset));
                if (offset == bytes.length / 2 / 700 * 700) {
                    // Chunks still delayed must not be overtaken by those that go straight through now.
                    link.heal();
                }
            }
            socket.shutdownOutput();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
