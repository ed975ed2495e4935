package dev.chatwire.examples;

import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The Tomcat example server. */
class TomcatChatServerAppTest extends ExampleServerSuite {

    @Override
    protected RunningServer start(ServerSettings settings) throws Exception {
        return TomcatChatServerApp.start(settings);
    }

    /**
     * Tomcat hands the demo sign-in its request before the body has come, so the servlet's own body deadline answers
     * a stalled one. (The Jetty example reads small bodies ahead, without a thread, before any servlet sees them.)
     */
    @Test
    void theDemoSignInAnswersABodyThatStallsWith408AndClosesTheConnection() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server().port())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("POST /demo/token HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
                    .getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 408").contains("did not arrive within 10 s");
        }
    }
}
