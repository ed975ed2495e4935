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
    void delayedBytesWrittenInSmallPiecesComeBackWholeAndInOrder() throws Exception {
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
            client.setSoTimeout(300);
            assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);

            link.heal();
            client.setSoTimeout(10_000);
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
    void aRefusingLinkClosesNewConnectionsUntilItHeals() throws Exception {
        link.refuse();
        try (Socket refused = connect()) {
            assertThat(refused.getInputStream().read()).isEqualTo(-1);
        }
        link.heal();
        try (Socket accepted = connect()) {
            roundTrip(accepted);
        }
        await().until(() -> link.connections() == 1);
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

    private static void writeInPieces(Socket socket, byte[] bytes) {
        try {
            OutputStream out = socket.getOutputStream();
            for (int offset = 0; offset < bytes.length; offset += 700) {
                out.write(bytes, offset, Math.min(700, bytes.length - offset));
            }
            socket.shutdownOutput();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
