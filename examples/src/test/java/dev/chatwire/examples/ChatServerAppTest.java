package dev.chatwire.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Jetty example server. */
class ChatServerAppTest extends ExampleServerSuite {

    /** More than Jetty's default pool of 200 threads, as in the attack this guards against. */
    private static final int TRICKLING_CLIENTS = 250;

    @Override
    protected RunningServer start(ServerSettings settings) throws Exception {
        return ChatServerApp.start(settings);
    }

    @Test
    void clientsTricklingRequestBodiesHoldNoThreadsSoOtherRequestsAreAnsweredWithinASecond() throws Exception {
        List<Socket> trickling = new ArrayList<>();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try {
            HttpRequest chats = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server().port() + "/api/chats"))
                    .timeout(Duration.ofSeconds(5)).build();
            // Warms the client and the route, so that only the trickling clients can slow the measured request.
            http.send(chats, HttpResponse.BodyHandlers.ofString());
            // Each sends the head and one byte of a body it says is 100 bytes long, then nothing: a servlet reading
            // that body on a pool thread would hold the thread until the connection times out.
            for (int i = 0; i < TRICKLING_CLIENTS; i++) {
                Socket socket = new Socket("127.0.0.1", server().port());
                trickling.add(socket);
                socket.getOutputStream().write(("POST /demo/token HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
                        .getBytes(StandardCharsets.ISO_8859_1));
            }

            long start = System.nanoTime();
            HttpResponse<String> page = http.send(chats, HttpResponse.BodyHandlers.ofString());
            long answeredInMillis = (System.nanoTime() - start) / 1_000_000;

            assertThat(page.statusCode()).isEqualTo(401);
            assertThat(answeredInMillis).as("answered in %d ms", answeredInMillis).isLessThan(1_000);
        } finally {
            for (Socket socket : trickling) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // Closing is all that is left to do.
                }
            }
        }
    }
}
