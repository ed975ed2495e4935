package dev.chatwire.examples;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A socket client that records every {@code new_message} seq it receives per chat, in arrival order, and reconnects
 * with {@code resume} (the last seq it got of each chat) whenever its socket closes, as a careful client would. It
 * checks nothing itself: a checker compares what it got with the store.
 */
final class ResumingReader implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final long RECONNECT_DELAY_MILLIS = 200;

    final String userId;
    private final int port;
    private final String token;
    private final ScheduledExecutorService reconnects;
    private final Map<String, List<Long>> seqsByChat = new ConcurrentHashMap<>();
    /** What this reader resumes from: the last seq it got of each chat, or where it started in the chat. */
    private final Map<String, Long> resumeFrom = new ConcurrentHashMap<>();
    private final AtomicInteger connects = new AtomicInteger();
    private volatile boolean closed;
    private volatile WebSocket socket;

    ResumingReader(int port, String userId, byte[] secret, ScheduledExecutorService reconnects) {
        this.port = port;
        this.userId = userId;
        this.reconnects = reconnects;
        this.token = JWT.create().withSubject(userId).withExpiresAt(Instant.now().plusSeconds(3600))
                .sign(Algorithm.HMAC256(secret));
    }

    /** Opens the socket; later closes reopen it by themselves until {@link #close}. */
    ResumingReader connect() {
        if (closed) {
            return this;
        }
        connects.incrementAndGet();
        HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), new Listener())
                .whenComplete((opened, failure) -> {
                    if (failure != null) {
                        reconnectLater();
                        return;
                    }
                    socket = opened;
                    opened.sendText(connectFrame(), true);
                });
        return this;
    }

    /** The seqs received in a chat, in arrival order, repeats included. */
    synchronized List<Long> seqs(String chatId) {
        return new ArrayList<>(seqsByChat.getOrDefault(chatId, List.of()));
    }

    /** Whether this reader knows where it starts in a chat: it was told of the chat and can resume it. */
    boolean knows(String chatId) {
        return resumeFrom.containsKey(chatId);
    }

    /** How many times this reader opened a socket. */
    int connects() {
        return connects.get();
    }

    private synchronized String connectFrame() {
        try {
            return JSON.writeValueAsString(Map.of("type", "connect", "token", token, "resume", resumeFrom));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized void received(JsonNode frame) {
        String type = frame.path("type").asText();
        if ("new_message".equals(type)) {
            JsonNode message = frame.path("message");
            String chatId = message.path("chatId").asText();
            long seq = message.path("seq").asLong();
            seqsByChat.computeIfAbsent(chatId, chat -> new ArrayList<>()).add(seq);
            resumeFrom.put(chatId, seq);
        } else if ("chat_joined".equals(type)) {
            resumeFrom.putIfAbsent(frame.path("chatId").asText(), frame.path("seq").asLong());
        } else if ("connected".equals(type)) {
            // Chats that were not in resume start live at the seq the server names.
            frame.path("seqs").fields().forEachRemaining(seq -> resumeFrom.putIfAbsent(seq.getKey(),
                    seq.getValue().asLong()));
        }
    }

    private void reconnectLater() {
        if (!closed) {
            reconnects.schedule(this::connect, RECONNECT_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        closed = true;
        WebSocket open = socket;
        if (open != null) {
            open.abort();
        }
    }

    /** Collects frames and reconnects when the socket ends. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    received(JSON.readTree(partial.toString()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            reconnectLater();
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            reconnectLater();
        }
    }
}
