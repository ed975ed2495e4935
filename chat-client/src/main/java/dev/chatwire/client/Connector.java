package dev.chatwire.client;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The client's socket and everything that keeps it useful: connect and authenticate, reconnect with backoff, resume,
 * refresh the token before it expires, and notice a silent link. What flows over the authenticated socket (sends and
 * their resending, deduplicated messages, events) is the {@link Traffic}'s.
 *
 * <p>Threading: every method body that touches state runs on the {@link SerialExecutor} lane; the WebSocket's
 * callbacks, timers and token futures only post work to it. Each socket is a {@link SocketAttempt}; work for an
 * attempt that is no longer {@link #current} is dropped, so a late callback of an old socket cannot disturb a new one.
 */
final class Connector implements SocketAttempt.Handler {

    private static final Logger log = LoggerFactory.getLogger(Connector.class);
    private static final int TOKEN_REFUSED = 4401;
    private static final int TOKEN_EXPIRED = 4402;

    private final Settings settings;
    private final TokenSource tokens;
    private final SerialExecutor lane;
    private final Events events;
    private final Timeline timeline;
    private final Traffic traffic;
    private final Backoff backoff;
    private final CompletableFuture<Void> firstConnect = new CompletableFuture<>();
    private volatile ConnectionState state = new ConnectionState.Disconnected(
            ConnectionState.NORMAL_CLOSURE, "not connected yet", null);

    private boolean started;
    private boolean closed;
    private boolean needsFreshToken;
    private int attemptsSinceConnected;
    private SocketAttempt current;
    private ScheduledFuture<?> retry;

    Connector(Settings settings, TokenSource tokens, Events events) {
        this.settings = settings;
        this.tokens = tokens;
        this.events = events;
        this.lane = new SerialExecutor(settings.scheduler());
        this.timeline = new Timeline(settings.storage());
        this.traffic = new Traffic(settings, lane, events, timeline);
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
        traffic.beginClosing();
        lane.execute(() -> {
            if (!closed) {
                closed = true;
                cancel(retry);
                SocketAttempt ending = current;
                current = null;
                if (ending != null) {
                    ending.closeNormally();
                }
                CancellationException cancelled = new CancellationException("the chat client was closed");
                traffic.close(cancelled);
                firstConnect.completeExceptionally(cancelled);
                setState(new ConnectionState.Disconnected(ConnectionState.NORMAL_CLOSURE, "closed by the client",
                        null));
            }
            afterwards.run();
        });
    }

    /** See {@link Traffic#send}. */
    CompletableFuture<Message> send(String chatId, String text) {
        return traffic.send(chatId, text);
    }

    /** See {@link Traffic#typing}. */
    void typing(String chatId) {
        traffic.typing(chatId);
    }

    /** See {@link Traffic#read}. */
    void read(String chatId, long seq) {
        traffic.read(chatId, seq);
    }

    private void attempt() {
        retry = null;
        SocketAttempt attempt = new SocketAttempt(lane, this);
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

    private void open(SocketAttempt attempt) {
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

    @Override
    public void opened(SocketAttempt attempt, WebSocket socket) {
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

    @Override
    public void received(SocketAttempt attempt, String frame) {
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
            return;
        }
        if (incoming instanceof Incoming.Error error && error.clientMessageId() == null
                && "unauthorized".equals(error.code())) {
            // A refreshed token was refused: the socket lives until the old one expires, and then needs a new one.
            needsFreshToken = true;
        }
        traffic.received(incoming);
    }

    private void connected(SocketAttempt attempt, Incoming.Connected connected) {
        attemptsSinceConnected = 0;
        backoff.reset();
        timeline.connected(connected.chats(), connected.seqs());
        setState(new ConnectionState.Connected(connected.userId(), connected.connectionId(),
                connected.historyAfter()));
        traffic.online(attempt.writer);
        scheduleRefresh(attempt);
        firstConnect.complete(null);
    }

    /** One liveness check: a ping went out a whole interval ago and nothing at all came back since. */
    private void tick(SocketAttempt attempt) {
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

    private void scheduleRefresh(SocketAttempt attempt) {
        cancel(attempt.refresh);
        RefreshTiming.refreshIn(attempt.token, settings.clock().instant(), settings.tokenRefreshLead())
                .ifPresent(delay -> attempt.refresh = settings.scheduler().schedule(
                        () -> lane.execute(() -> refresh(attempt)), delay.toMillis(), TimeUnit.MILLISECONDS));
    }

    private void refresh(SocketAttempt attempt) {
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

    @Override
    public void closed(SocketAttempt attempt, int statusCode, String reason) {
        dropped(attempt, statusCode, reason);
    }

    @Override
    public void failed(SocketAttempt attempt, Throwable error) {
        dropped(attempt, ConnectionState.ABNORMAL_CLOSURE, "connection lost: " + describe(error));
    }

    private void dropped(SocketAttempt attempt, int closeCode, String reason) {
        if (current != attempt) {
            return;
        }
        current = null;
        traffic.offline();
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

    @Override
    public void heard(SocketAttempt attempt) {
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
}
