package dev.chatwire.jakarta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chatwire.core.ChatEngine;
import dev.chatwire.core.ChatLimits;
import dev.chatwire.core.SocketSettings;
import dev.chatwire.core.contract.PropertyRunner;
import dev.chatwire.core.jwt.JwtTokenVerifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any multipart body sent to {@code POST /api/chats/{id}/messages}, well-formed or broken (boundaries that do not
 * match or are missing, parts cut off, too many or too large, odd part headers, stray bytes), is answered within
 * {@link RawHttp}'s read timeout (5 s) with 201 or with one of the 4xx answers {@code docs/protocol.md} documents for
 * the route (400 {@code invalid}, 413 {@code too_large}, 415 {@code unsupported_media_type}), as a JSON error; never
 * a 500. On Jetty (ee10): the multipart parser under test is the container's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultipartSendPropertyTest {

    /** Each try is a request; the build's run stays a few seconds, {@code -Dchatwire.tries.factor} hunts longer. */
    private static final int TRIES = 300;
    private static final int MAX_UPLOAD_BYTES = 8 * 1024;
    private static final int MAX_ATTACHMENTS = 3;
    private static final Map<Integer, String> DOCUMENTED = Map.of(
            400, "invalid", 413, "too_large", 415, "unsupported_media_type");
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChatEngine engine;
    private final ExecutorService writer = Executors.newSingleThreadExecutor();
    private TestServer server;
    private String token;
    private String route;
    private byte[] png;

    @BeforeAll
    void start() throws Exception {
        engine = ChatEngine.builder()
                .tokenVerifier(JwtTokenVerifier.hs256(Tokens.SECRET).build())
                .inMemory()
                .limits(ChatLimits.defaults().toBuilder().maxUploadBytes(MAX_UPLOAD_BYTES)
                        .maxAttachments(MAX_ATTACHMENTS).unlimitedRestRates().build())
                .build();
        server = JettyHost.start(engine, SocketSettings.builder().build());
        String chatId = new Rest(server.port()).createChat("alice", "bob");
        token = Tokens.valid("alice");
        route = "/api/chats/" + chatId + "/messages";
        ByteArrayOutputStream image = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB), "png", image);
        png = image.toByteArray();
    }

    @AfterAll
    void stop() throws Exception {
        server.stop();
        engine.close();
        writer.shutdownNow();
    }

    @Test
    void everyMultipartBodyIsStoredOrRefusedWithADocumentedClientError() {
        PropertyRunner.forAll("multipart sends", TRIES, this::form, form -> {
            RawHttp.Response response = post(form);
            int status = response.status();
            if (status == 201) {
                assertThat(json(response).path("messages").isArray()).as(response.body()).isTrue();
                return;
            }
            assertThat(DOCUMENTED).as("status %d: %s", status, response.body()).containsKey(status);
            assertThat(json(response).path("error").path("code").asText()).as(response.body())
                    .isEqualTo(DOCUMENTED.get(status));
        });
    }

    @Test
    void theGeneratorReachesEveryAnswerItMeansToProbe() {
        // Without this, a generator broken into sending only valid (or only unparseable) bodies would pass.
        List<Integer> seen = new ArrayList<>();
        Random random = new Random(20261205);
        for (int i = 0; i < 150 && !seen.containsAll(List.of(201, 400, 413)); i++) {
            seen.add(post(form(random)).status());
        }
        assertThat(seen).contains(201, 400, 413);
    }

    /**
     * Posts the form on a connection of its own (an error answered before the body was read closes the connection,
     * so a pooled one could be gone under the next try), writing the body on another thread while this one waits for
     * the answer: the server may refuse a body before it has read it all, and stop reading.
     */
    private RawHttp.Response post(Form form) {
        try (RawHttp connection = RawHttp.open(server.port())) {
            connection.send("POST " + route + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: " + form.contentType() + "\r\nContent-Length: " + form.body().length
                    + "\r\nConnection: close\r\n\r\n", new byte[0]);
            CompletableFuture<Void> body = CompletableFuture.runAsync(() -> {
                try {
                    connection.send("", form.body());
                } catch (IOException refusedEarly) {
                    // The answer, read below, says why.
                }
            }, writer);
            RawHttp.Response response = connection.readResponse();
            body.cancel(false);
            return response;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer within the read timeout", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json(RawHttp.Response response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    /** A body and the Content-Type it is sent with. */
    record Form(String contentType, byte[] body) {
        @Override
        public String toString() {
            return "Content-Type: " + contentType + "\n" + new String(body, 0, Math.min(body.length, 1500),
                    StandardCharsets.ISO_8859_1);
        }
    }

    /** A send as a browser would make it, then, most of the time, broken in one to three ways. */
    private Form form(Random random) {
        String boundary = random.nextInt(4) == 0 ? "b" : "----chatwire" + Long.toHexString(random.nextLong());
        List<String> lineEnds = List.of("\r\n", "\r\n", "\r\n", "\n");
        String crlf = lineEnds.get(random.nextInt(lineEnds.size()));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int parts = random.nextInt(5) == 0 ? 20 + random.nextInt(200) : random.nextInt(MAX_ATTACHMENTS + 3);
        if (random.nextBoolean()) {
            field(body, boundary, crlf, "text", "hello " + random.nextInt());
        }
        for (int i = 0; i < parts; i++) {
            part(body, random, boundary, crlf, i);
        }
        if (random.nextInt(6) != 0) {
            write(body, "--" + boundary + "--" + crlf);
        }
        byte[] bytes = body.toByteArray();
        String contentType = "multipart/form-data; boundary=" + boundary;
        int mutations = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            switch (random.nextInt(6)) {
                case 0 -> contentType = oddContentType(random, boundary);
                case 1 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
                case 2 -> bytes = insert(bytes, random, randomBytes(random, 1 + random.nextInt(64)));
                case 3 -> bytes = insert(bytes, random, ("--" + boundary + crlf).getBytes(StandardCharsets.US_ASCII));
                case 4 -> bytes = insert(bytes, random, (crlf + crlf).getBytes(StandardCharsets.US_ASCII));
                default -> bytes = flipBytes(bytes, random);
            }
        }
        return new Form(contentType, bytes);
    }

    private void part(ByteArrayOutputStream body, Random random, String boundary, String crlf, int index) {
        switch (random.nextInt(8)) {
            case 0 -> field(body, boundary, crlf, "clientMessageId", "k" + random.nextInt(1_000_000));
            case 1 -> field(body, boundary, crlf, "text", "x".repeat(random.nextInt(3) == 0 ? 300_000 : 20));
            case 2 -> {
                // Odd part headers: none, no name, an encoded file name, a header without a colon, a long line.
                List<String> heads = List.of("",
                        "Content-Disposition: form-data" + crlf,
                        "Content-Disposition: form-data; name=\"file\"; filename*=UTF-8''%E2%98%83.png" + crlf,
                        "Content-Disposition form-data name=file" + crlf,
                        "Content-Disposition: form-data; name=\"file\"; filename=\"" + "a".repeat(20_000) + "\""
                                + crlf,
                        "Content-Disposition: form-data; name=\"file\"; filename=\"\u00e9\u0000.png\"" + crlf
                                + "Content-Transfer-Encoding: base64" + crlf,
                        "X-" + "h".repeat(9_000) + ": v" + crlf);
                write(body, "--" + boundary + crlf + heads.get(random.nextInt(heads.size())) + crlf);
                body.writeBytes(randomBytes(random, random.nextInt(200)));
                write(body, crlf);
            }
            default -> {
                byte[] content = switch (random.nextInt(4)) {
                    case 0 -> randomBytes(random, random.nextInt(500));
                    case 1 -> concat(png, new byte[MAX_UPLOAD_BYTES + random.nextInt(4096)]);
                    default -> png;
                };
                write(body, "--" + boundary + crlf + "Content-Disposition: form-data; name=\"file\"; filename=\"f"
                        + index + ".png\"" + crlf + "Content-Type: image/png" + crlf + crlf);
                body.writeBytes(content);
                write(body, crlf);
            }
        }
    }

    private static void field(ByteArrayOutputStream body, String boundary, String crlf, String name, String value) {
        write(body, "--" + boundary + crlf + "Content-Disposition: form-data; name=\"" + name + "\"" + crlf + crlf
                + value + crlf);
    }

    private static String oddContentType(Random random, String boundary) {
        List<String> types = List.of(
                "multipart/form-data",
                "multipart/form-data; boundary=",
                "multipart/form-data; boundary=\"" + boundary + "\"",
                "multipart/form-data; boundary=other" + boundary,
                "multipart/form-data; boundary=" + "z".repeat(200),
                "multipart/form-data; boundary=" + boundary + "; boundary=second",
                "multipart/form-data; charset=latin1; boundary=" + boundary,
                "MULTIPART/FORM-DATA; BOUNDARY=" + boundary,
                "multipart/form-data;boundary=" + boundary + ";;;");
        return types.get(random.nextInt(types.size()));
    }

    private static byte[] insert(byte[] bytes, Random random, byte[] inserted) {
        int at = random.nextInt(bytes.length + 1);
        byte[] out = new byte[bytes.length + inserted.length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(inserted, 0, out, at, inserted.length);
        System.arraycopy(bytes, at, out, at + inserted.length, bytes.length - at);
        return out;
    }

    private static byte[] flipBytes(byte[] bytes, Random random) {
        byte[] out = bytes.clone();
        for (int i = 0; i < 1 + random.nextInt(8) && out.length > 0; i++) {
            out[random.nextInt(out.length)] = (byte) random.nextInt(256);
        }
        return out;
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] out = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, out, first.length, second.length);
        return out;
    }

    private static void write(ByteArrayOutputStream body, String text) {
        body.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
