package dev.chatwire.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A local server answers on its port, goes away when stopped, and comes back on the same port. */
class RedisTestServerTest {

    @TempDir
    Path workDir;

    @Test
    void aLocalServerStopsAndStartsAgainOnItsPort() throws Exception {
        try (RedisTestServer redis = RedisTestServer.startLocal(workDir)) {
            assertThat(redis.uri().toString()).isEqualTo("redis://127.0.0.1:" + redis.port());
            assertThat(ProcessHandle.of(redis.pid())).hasValueSatisfying(process ->
                    assertThat(process.isAlive()).isTrue());
            assertThat(ping(redis.port())).isEqualTo("+PONG");

            redis.stop();
            assertThatThrownBy(() -> ping(redis.port())).isInstanceOf(IOException.class);

            redis.start();
            assertThat(ping(redis.port())).isEqualTo("+PONG");
        }
        assertThat(workDir.resolve("redis.log")).exists();
    }

    private static String ping(int port) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readNBytes(5), StandardCharsets.US_ASCII);
        }
    }
}
