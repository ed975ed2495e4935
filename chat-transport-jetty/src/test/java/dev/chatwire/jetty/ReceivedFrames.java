package dev.chatwire.jetty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chatwire.jakarta.RawWebSocket;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Everything a raw socket receives, read on a thread of its own until the server closes it or the connection fails:
 * a client that keeps reading but never sends anything, not even a pong.
 */
final class ReceivedFrames {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<RawWebSocket.Frame> frames = new CopyOnWriteArrayList<>();

    private ReceivedFrames() {
    }

    /** Starts reading every frame of this socket. */
    static ReceivedFrames readAll(RawWebSocket socket) {
        ReceivedFrames received = new ReceivedFrames();
        Thread reader = new Thread(() -> {
            try {
                RawWebSocket.Frame frame;
                do {
                    frame = socket.readFrame();
                    received.frames.add(frame);
                } while (frame.opcode() != RawWebSocket.CLOSE);
            } catch (IOException closedOrSilent) {
                // The socket is gone, or sent nothing for its read timeout: nothing more will arrive.
            }
        }, "raw-socket-reader");
        reader.setDaemon(true);
        reader.start();
        return received;
    }

    /** The text messages received so far, parsed, in order. */
    List<JsonNode> events() {
        return frames.stream().filter(frame -> frame.opcode() == RawWebSocket.TEXT).map(frame -> {
            try {
                return JSON.readTree(frame.text());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }

    /** The seqs of the {@code new_message} events received so far, in order. */
    List<Long> messageSeqs() {
        return events().stream().filter(event -> event.path("type").asText().equals("new_message"))
                .map(event -> event.path("message").path("seq").asLong()).toList();
    }

    /** Whether a {@code presence} event said that this user went offline. */
    boolean sawOffline(String userId) {
        return events().stream().anyMatch(event -> event.path("type").asText().equals("presence")
                && event.path("userId").asText().equals(userId) && !event.path("online").asBoolean());
    }

    /** How many frames with this opcode arrived. */
    long count(int opcode) {
        return frames.stream().filter(frame -> frame.opcode() == opcode).count();
    }

    /** The close frame, once it arrived. */
    Optional<RawWebSocket.Frame> closeFrame() {
        return frames.stream().filter(frame -> frame.opcode() == RawWebSocket.CLOSE).findFirst();
    }
}
