package dev.chatwire.jakarta;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A bare WebSocket client over a plain socket, for what a Jakarta client hides: handshake statuses and headers, and
 * pings it would answer by itself.
 */
public final class RawWebSocket implements Closeable {

    public static final int TEXT = 0x1;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final int status;
    private final Map<String, String> headers;

    /** One frame from the server. */
    public record Frame(int opcode, byte[] payload) {
        /** The payload as UTF-8 text. */
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The code of a close frame, or -1 when it has none. */
        public int closeCode() {
            return payload.length < 2 ? -1 : ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }
    }

    private RawWebSocket(Socket socket, int status, Map<String, String> headers) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.status = status;
        this.headers = headers;
    }

    /** Sends a handshake with these extra headers and reads the response head. */
    public static RawWebSocket handshake(int port, String pathAndQuery, Map<String, String> extraHeaders)
            throws IOException {
        return handshake(port, pathAndQuery, extraHeaders, 0);
    }

    /** As {@link #handshake(int, String, Map)}, with a small receive buffer when {@code receiveBuffer > 0}. */
    public static RawWebSocket handshake(int port, String pathAndQuery, Map<String, String> extraHeaders,
                                         int receiveBuffer)
            throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        byte[] key = new byte[16];
        RANDOM.nextBytes(key);
        StringBuilder request = new StringBuilder()
                .append("GET ").append(pathAndQuery).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n")
                .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(key)).append("\r\n")
                .append("Sec-WebSocket-Version: 13\r\n");
        extraHeaders.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        request.append("\r\n");
        socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();

        InputStream in = socket.getInputStream();
        String statusLine = readLine(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                    (a, b) -> a + ", " + b);
        }
        return new RawWebSocket(socket, status, headers);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed during the handshake");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    /** The handshake's HTTP status. */
    public int status() {
        return status;
    }

    /** A response header, or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** Reads the next frame; frames from a server are never masked. */
    public Frame readFrame() throws IOException {
        return readFrame(in.readUnsignedByte());
    }

    /**
     * Reads the next message: a control frame as it comes (it may come between the fragments of a message), or a
     * data message with the payloads of its continuation frames joined, as containers that fragment send them.
     */
    public Frame readMessage() throws IOException {
        ByteArrayOutputStream fragments = null;
        int opcode = 0;
        while (true) {
            int first = in.readUnsignedByte();
            Frame frame = readFrame(first);
            if (frame.opcode() >= CLOSE) {
                return frame;
            }
            if (fragments == null) {
                opcode = frame.opcode();
                fragments = new ByteArrayOutputStream();
            }
            fragments.writeBytes(frame.payload());
            boolean fin = (first & 0x80) != 0;
            if (fin) {
                return new Frame(opcode, fragments.toByteArray());
            }
        }
    }

    private Frame readFrame(int first) throws IOException {
        int second = in.readUnsignedByte();
        long length = second & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        return new Frame(first & 0x0f, payload);
    }

    /** Reads frames until one with this opcode arrives, for at most ten seconds. */
    public Frame readUntil(int opcode) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Frame frame = readFrame();
            if (frame.opcode() == opcode) {
                return frame;
            }
        }
        throw new AssertionError("no frame with opcode " + opcode + " within 10 s");
    }

    /** Sends a masked text frame, as clients must. */
    public void sendText(String text) throws IOException {
        sendFrame(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends an unsolicited pong, the heartbeat RFC 6455 allows, without reading anything. */
    public void sendPong() throws IOException {
        sendFrame(PONG, new byte[0]);
    }

    /**
     * Starts a text frame that declares {@code declaredLength} bytes of payload and sends only the first
     * {@code sentLength} of them, as a client announcing a huge message would.
     */
    public void sendTextStart(long declaredLength, int sentLength) throws IOException {
        sendFrame(TEXT, declaredLength, "x".repeat(sentLength).getBytes(StandardCharsets.UTF_8));
    }

    private void sendFrame(int opcode, byte[] payload) throws IOException {
        sendFrame(opcode, payload.length, payload);
    }

    /** Sends a masked, final frame whose header declares {@code declaredLength} bytes, with this payload. */
    private synchronized void sendFrame(int opcode, long declaredLength, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x80 | opcode);
        if (declaredLength < 126) {
            frame.write(0x80 | (int) declaredLength);
        } else if (declaredLength <= 0xffff) {
            frame.write(0x80 | 126);
            frame.write((int) (declaredLength >> 8));
            frame.write((int) (declaredLength & 0xff));
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) (declaredLength >>> shift) & 0xff);
            }
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
