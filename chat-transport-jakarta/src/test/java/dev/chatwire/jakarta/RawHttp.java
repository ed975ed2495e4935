package dev.chatwire.jakarta;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP/1.1 over a plain socket, for requests that java.net.http cannot make: a body sent in part, then nothing. It
 * counts the bytes it sent, so that a test can say how much of a body the server needed before it answered.
 */
final class RawHttp implements AutoCloseable {

    /** How long a read waits for the server before the test fails. */
    private static final int READ_TIMEOUT_MILLIS = 5_000;

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private long bytesSent;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
    }

    /** Connects to this port of 127.0.0.1. */
    static RawHttp open(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MILLIS);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        return new RawHttp(socket);
    }

    /** Sends the request head and the first bytes of its body. */
    void send(String head, byte[] body) throws IOException {
        byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
        out.write(headBytes);
        out.write(body);
        out.flush();
        bytesSent += headBytes.length + body.length;
    }

    /** The bytes sent so far, head included. */
    long bytesSent() {
        return bytesSent;
    }

    /** Reads a response head and a body of its {@code Content-Length}; fails if none comes within 5 s. */
    Response readResponse() throws IOException {
        String statusLine = line();
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(); !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        return new Response(Integer.parseInt(statusLine.split(" ")[1]), headers, body);
    }

    /** Whether the server closed the connection: reads until it does, or fails if it does not within 5 s. */
    boolean closedByServer() throws IOException {
        try {
            while (in.read() >= 0) {
                // What the server sends after its response is of no interest here, only whether the stream ends.
            }
            return true;
        } catch (SocketException e) {
            // A reset is a close too.
            return true;
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the server closed the connection mid-response");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** A response: its status, headers (names in lower case) and body. */
    record Response(int status, Map<String, String> headers, String body) {
        Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }
    }
}
