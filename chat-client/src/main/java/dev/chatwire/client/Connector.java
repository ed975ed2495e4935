package dev.chatwire.client;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The client's socket and everything that keeps it useful: connect and authenticate, reconnect with backoff, resume,
 * deduplicate, resend unacknowledged sends, refresh the token before it expires, and notice a silent link.
 *
 * <p>Threading: every method body that touches state runs on the {@link SerialExecutor} lane; the WebSocket's
 * callbacks, timers and token futures only post work to it. Each socket attempt is an {@link Attempt}; work for an
 * attempt that is no longer {@link #current} is dropped, so a late callback of an old socket cannot disturb a new one.
 */
final class Connector {

    private static final Logger log = LoggerFactory.getLogger(Connector.class);
    private static final int TOKEN_REFUSED = 4401;
    private static final int TOKEN_EXPIRED = 4402;
    private static final Duration TRANSIENT_RETRY_DELAY = Duration.ofSeconds(1);
    private static final int MAX_TRANSIENT_RETRIES = 5;

    private final Settings settings;
    private final TokenSource tokens;
    private final SerialExecutor lane;
    private final Events events;
    private final Timeline timeline;
    private final Outbox outbox = new Outbox(MAX_TRANSIENT_RETRIES);
    private final Backoff backoff;
    private final Map<String, Long> typingSentAt = new HashMap<>();
    private final Map<String, Long> unsentReads = new LinkedHashMap<>();
    private final CompletableFuture<Void> firstConnect = new CompletableFuture<>();
    private volatile ConnectionState state = new ConnectionState.Disconnected(
            ConnectionState.NORMAL_CLOSURE, "not connected yet", null);

    private boolean started;
    private boolean closed;
    /** Set by {@link #close} at once, on the caller's thread: a later send must fail even if the lane is gone. */
    private volatile boolean closing;
    private boolean needsFreshToken;
    private int attemptsSinceConnected;
    private Attempt current;
    private ScheduledFuture<?> retry;

    Connector(Settings settings, TokenSource tokens, Events events) {
        this.settings = settings;
        this.tokens = tokens;
        this.events = events;
        this.lane = new SerialExecutor(settings.scheduler());
        this.timeline = new Timeline(settings.storage());
        this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff(), settings.random());
    }

    ConnectionState state() {
        return state;
    }

    /** Starts connecting (once); the future completes at the first {@code connected}. */
    CompletableFuture<Void> connect() {
        lane.execute(() -> {
            if (!started && !closed) {
                started = true;
                attempt();
            }
        });
        return firstConnect;
    }

    /** Closes the socket for good; unacknowledged sends fail with {@link CancellationException}. */
    void close(Runnable afterwards) {
        closing = true;
        lane.execute(() -> {
            if (!closed) {
                closed = true;
                cancel(retry);
                Attempt ending = current;
                current = null;
                if (ending != null) {
                    ending.closeNormally();
                }
                CancellationException cancelled = new CancellationException("the chat client was closed");
                outbox.failAll(cancelled);
                firstConnect.completeExceptionally(cancelled);
                setState(new ConnectionState.Disconnected(ConnectionState.NORMAL_CLOSURE, "closed by the client",
                        null));
            }
            afterwards.run();
        });
    }

    /** Sends a text message, kept in the outbox until the server stores or refuses it. */
    CompletableFuture<Message> send(String chatId, String text) {
        String clientMessageId = UUID.randomUUID().toString();
        String frame = Frames.send(chatId, text, clientMessageId);
        int bytes = frame.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > settings.maxFrameBytes()) {
            // The server would close the socket with 1009 rather than answer; refusing here keeps the socket.
            return CompletableFuture.failedFuture(new ChatRefusedException("too_large", "the send would be a frame of "
                    + bytes + " bytes, over the server's limit of " + settings.maxFrameBytes() + "; nothing was sent"));
        }
        if (closing) {
            return CompletableFuture.failedFuture(new CancellationException("the chat client was closed"));
        }
        CompletableFuture<Message> result = new CompletableFuture<>();
        lane.execute(() -> {
            if (closed) {
                result.completeExceptionally(new CancellationException("the chat client was closed"));
                return;
            }
            outbox.add(clientMessageId, frame, result);
            Attempt live = authenticated();
            if (live != null) {
                live.writer.write(frame);
            }
        });
        return result;
    }

    /** Tells the chat the user is typing, at most once per typing interval per chat; dropped while offline. */
    void typing(String chatId) {
        lane.execute(() -> {
            Attempt live = authenticated();
            if (live == null) {
                return;
            }
            long now = settings.clock().millis();
            Long last = typingSentAt.get(chatId);
            if (last != null && now - last < settings.typingInterval().toMillis()) {
                return;
            }
            typingSentAt.put(chatId, now);
            live.writer.write(Frames.typing(chatId));
        });
    }

    /** Tells the chat the user read up to {@code seq}; while offline, the highest one is sent after connecting. */
    void read(String chatId, long seq) {
        lane.execute(() -> {
            Attempt live = authenticated();
            if (live == null) {
                unsentReads.merge(chatId, seq, Math::max);
            } else {
                live.writer.write(Frames.read(chatId, seq));
            }
        });
    }

    private Attempt authenticated() {
        return current != null && current.authenticated ? current : null;
    }

    private void attempt() {
        retry = null;
        Attempt attempt = new Attempt();
        current = attempt;
        attemptsSinceConnected++;
        setState(new ConnectionState.Connecting(attemptsSinceConnected));
        CompletableFuture<String> token = needsFreshToken ? tokens.fresh() : tokens.current();
        token.whenComplete((value, failure) -> lane.execute(() -> {
            if (current != attempt) {
                return;
            }
            if (failure != null) {
                dropped(attempt, TOKEN_REFUSED, "the token supplier failed: " + describe(failure));
                return;
            }
            needsFreshToken = false;
            attempt.token = value;
            open(attempt);
        }));
    }

    private void open(Attempt attempt) {
        CompletionStage<WebSocket> opening;
        try {
            opening = settings.http().newWebSocketBuilder().connectTimeout(settings.connectTimeout())
                    .buildAsync(settings.socketUri(), attempt);
        } catch (RuntimeException e) {
            dropped(attempt, ConnectionState.ABNORMAL_CLOSURE, "could not connect: " + describe(e));
            return;
        }
        opening.whenComplete((socket, failure) -> {
            if (failure != null) {
                lane.execute(() -> dropped(attempt, ConnectionState.ABNORMAL_CLOSURE,
                        "could not connect: " + describe(failure)));
            }
        });
    }

    private void opened(Attempt attempt, WebSocket socket) {
        if (current != attempt) {
            socket.abort();
            return;
        }
        attempt.socket = socket;
        attempt.writer = new FrameWriter(socket, lane, failure -> dropped(attempt,
                ConnectionState.ABNORMAL_CLOSURE, "write failed: " + describe(failure)));
        attempt.writer.write(Frames.connect(attempt.token, timeline.resume()));
        long interval = settings.pingInterval().toMillis();
        attempt.ticks = settings.scheduler().scheduleAtFixedRate(() -> lane.execute(() -> tick(attempt)),
                interval, interval, TimeUnit.MILLISECONDS);
    }

    private void received(Attempt attempt, String frame) {
        if (current != attempt) {
            return;
        }
        attempt.liveness.heard();
        Incoming incoming;
        try {
            incoming = Frames.decode(frame);
        } catch (IllegalArgumentException e) {
            log.warn("ignored a frame that is not a protocol frame: {}", e.getMessage());
            return;
        }
        if (incoming instanceof Incoming.Connected connected) {
            connected(attempt, connected);
        } else if (incoming instanceof Incoming.NewMessage newMessage) {
            if (timeline.accept(newMessage.message())) {
                events.messages.emit(newMessage.message());
            }
        } else if (incoming instanceof Incoming.Ack ack) {
            outbox.acked(ack.clientMessageId(), ack.message());
        } else if (incoming instanceof Incoming.Event event) {
            membership(event.event());
            events.emit(event.event());
        } else if (incoming instanceof Incoming.Error error) {
            refused(error);
        }
    }

    private void connected(Attempt attempt, Incoming.Connected connected) {
        attempt.authenticated = true;
        attemptsSinceConnected = 0;
        backoff.reset();
        timeline.connected(connected.chats(), connected.seqs());
        setState(new ConnectionState.Connected(connected.userId(), connected.connectionId()));
        outbox.frames().forEach(attempt.writer::write);
        unsentReads.forEach((chatId, seq) -> attempt.writer.write(Frames.read(chatId, seq)));
        unsentReads.clear();
        scheduleRefresh(attempt);
        firstConnect.complete(null);
    }

    private void membership(Object event) {
        if (event instanceof ChatJoinedEvent joined) {
            timeline.joined(joined.chatId(), joined.seq());
        } else if (event instanceof ChatLeftEvent left) {
            timeline.left(left.chatId());
        }
    }

    private void refused(Incoming.Error error) {
        String clientMessageId = error.clientMessageId();
        if (clientMessageId != null) {
            outbox.refused(clientMessageId, error.code(), error.message()).ifPresent(frame ->
                    settings.scheduler().schedule(() -> lane.execute(() -> resend(clientMessageId, frame)),
                            TRANSIENT_RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS));
            return;
        }
        if ("unauthorized".equals(error.code())) {
            // A refreshed token was refused: the socket lives until the old one expires, and then needs a new one.
            needsFreshToken = true;
        }
        events.errors.emit(new ChatRefusedException(error.code(), error.message()));
    }

    private void resend(String clientMessageId, String frame) {
        Attempt live = authenticated();
        // Offline, the reconnect resends every waiting send anyway.
        if (live != null && outbox.waiting(clientMessageId)) {
            live.writer.write(frame);
        }
    }

    /** One liveness check: a ping went out a whole interval ago and nothing at all came back since. */
    private void tick(Attempt attempt) {
        if (current != attempt) {
            return;
        }
        if (attempt.liveness.silentSinceLastPing()) {
            dropped(attempt, ConnectionState.ABNORMAL_CLOSURE,
                    "no frame or pong within " + settings.pingInterval().toMillis() + " ms of a ping");
            return;
        }
        attempt.socket.sendPing(ByteBuffer.allocate(0)).whenComplete((ignored, failure) -> {
            // java.net.http does not always report a connection the peer closed; a write to it fails instead.
            if (failure != null) {
                lane.execute(() -> dropped(attempt, ConnectionState.ABNORMAL_CLOSURE,
                        "ping failed: " + describe(failure)));
            }
        });
    }

    private void scheduleRefresh(Attempt attempt) {
        cancel(attempt.refresh);
        RefreshTiming.refreshIn(attempt.token, settings.clock().instant(), settings.tokenRefreshLead())
                .ifPresent(delay -> attempt.refresh = settings.scheduler().schedule(
                        () -> lane.execute(() -> refresh(attempt)), delay.toMillis(), TimeUnit.MILLISECONDS));
    }

    private void refresh(Attempt attempt) {
        if (current != attempt) {
            return;
        }
        tokens.fresh().whenComplete((token, failure) -> lane.execute(() -> {
            if (current != attempt) {
                return;
            }
            if (failure != null) {
                // The server closes with 4402 at expiry, and the reconnect asks the supplier again.
                log.warn("token refresh failed; the socket will be closed at expiry and reconnect", failure);
                return;
            }
            String old = attempt.token;
            attempt.token = token;
            attempt.writer.write(Frames.auth(token));
            if (RefreshTiming.outlives(token, old)) {
                scheduleRefresh(attempt);
            }
        }));
    }

    private void dropped(Attempt attempt, int closeCode, String reason) {
        if (current != attempt) {
            return;
        }
        current = null;
        attempt.stop();
        if (closeCode == TOKEN_REFUSED || closeCode == TOKEN_EXPIRED) {
            needsFreshToken = true;
        }
        if (closed) {
            return;
        }
        Duration delay = backoff.next();
        log.debug("chat socket closed ({} {}); reconnecting in {} ms", closeCode, reason, delay.toMillis());
        // Scheduled before it is announced, so that whoever hears the announcement can count on the retry.
        retry = settings.scheduler().schedule(() -> lane.execute(() -> {
            if (!closed && current == null) {
                attempt();
            }
        }), delay.toMillis(), TimeUnit.MILLISECONDS);
        setState(new ConnectionState.Disconnected(closeCode, reason, delay));
    }

    private void heard(Attempt attempt) {
        if (current == attempt) {
            attempt.liveness.heard();
        }
    }

    private void setState(ConnectionState next) {
        state = next;
        events.states.emit(next);
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    /**
     * One socket, from opening to its end. The WebSocket calls its listener methods one at a time, so the partial
     * text needs no lock; everything else is touched on the lane only.
     */
    private final class Attempt implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        String token;
        WebSocket socket;
        FrameWriter writer;
        final Liveness liveness = new Liveness();
        boolean authenticated;
        ScheduledFuture<?> ticks;
        ScheduledFuture<?> refresh;

        @Override
        public void onOpen(WebSocket webSocket) {
            lane.execute(() -> opened(this, webSocket));
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String frame = partial.toString();
                partial.setLength(0);
                lane.execute(() -> received(this, frame));
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            lane.execute(() -> heard(this));
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            lane.execute(() -> heard(this));
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            lane.execute(() -> dropped(this, statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            lane.execute(() -> dropped(this, ConnectionState.ABNORMAL_CLOSURE, "connection lost: " + describe(error)));
        }

        void stop() {
            cancel(ticks);
            cancel(refresh);
            if (socket != null) {
                socket.abort();
            }
        }

        void closeNormally() {
            cancel(ticks);
            cancel(refresh);
            if (socket != null) {
                socket.sendClose(ConnectionState.NORMAL_CLOSURE, "client closed")
                        .whenComplete((ignored, failure) -> socket.abort());
            }
        }
    }
}
