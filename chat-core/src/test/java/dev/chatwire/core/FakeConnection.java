package dev.chatwire.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chatwire.core.spi.Connection;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/** A socket that records what the engine sends; it can stall, to play a client that stopped reading. */
final class FakeConnection implements Connection {

    private static final ObjectMapper JSON = new ObjectMapper();

    final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final List<SendCallback> stalled = new ArrayList<>();
    private volatile boolean stalling;
    /** Once set, writes complete on this executor's thread rather than the sending one. */
    private volatile ExecutorService completer;
    volatile Integer closeCode;
    volatile String closeReason;
    ClientSession session;
    /** The peer address the transport reports; unknown unless set. */
    volatile InetAddress peer;

    @Override
    public Optional<InetAddress> peerAddress() {
        return Optional.ofNullable(peer);
    }

    @Override
    public void send(String frame, SendCallback done) {
        try {
            received.add(JSON.readTree(frame));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        synchronized (stalled) {
            if (stalling) {
                stalled.add(done);
                return;
            }
        }
        ExecutorService elsewhere = completer;
        if (elsewhere != null) {
            elsewhere.execute(() -> done.completed(null));
            return;
        }
        done.completed(null);
    }

    @Override
    public void close(int code, String reason) {
        if (closeCode == null) {
            closeCode = code;
            closeReason = reason;
        }
        if (session != null) {
            session.onClose();
        }
    }

    /** Stops completing writes, like a client whose TCP window is full. */
    void stall() {
        stalling = true;
    }

    /**
     * Stops stalling and from now on completes every write, the stalled ones first, on {@code thread}: a transport
     * whose writes finish on the container's own threads.
     */
    void completeWritesOn(ExecutorService thread) {
        completer = thread;
        List<SendCallback> waiting;
        synchronized (stalled) {
            stalling = false;
            waiting = List.copyOf(stalled);
            stalled.clear();
        }
        waiting.forEach(done -> thread.execute(() -> done.completed(null)));
    }

    List<JsonNode> ofType(String type) {
        return received.stream().filter(frame -> type.equals(frame.path("type").asText())).toList();
    }

    List<Long> messageSeqs(String chatId) {
        return ofType("new_message").stream()
                .filter(frame -> chatId.equals(frame.path("message").path("chatId").asText()))
                .map(frame -> frame.path("message").path("seq").asLong())
                .toList();
    }

    JsonNode awaitFrame(String type) {
        return awaitFrame(type, frame -> true);
    }

    JsonNode awaitFrame(String type, Predicate<JsonNode> matching) {
        await().until(() -> ofType(type).stream().anyMatch(matching));
        return ofType(type).stream().filter(matching).findFirst().orElseThrow();
    }

    void awaitClosed() {
        await().until(() -> closeCode != null);
    }
}
