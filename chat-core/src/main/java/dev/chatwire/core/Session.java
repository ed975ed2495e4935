package dev.chatwire.core;

import dev.chatwire.core.protocol.ClientCommand;
import dev.chatwire.core.protocol.ProtocolException;
import dev.chatwire.core.protocol.ServerEvent;
import dev.chatwire.core.spi.Connection;
import dev.chatwire.core.spi.RoomEvent;
import dev.chatwire.core.spi.TokenVerification;
import dev.chatwire.core.spi.UnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** One client socket inside the engine: its state, its outbound queue and a cursor per chat it is joined to. */
final class Session implements ClientSession {

    private static final Logger log = LoggerFactory.getLogger(Session.class);

    private enum State { AWAITING_CONNECT, ADMITTING, OPEN, CLOSED }

    /** The pong frame, encoded once: every heartbeat of every connection sends the same text. */
    private static final String PONG = "{\"type\":\"pong\"}";

    private final String id;
    private final ChatEngine engine;
    private final Connection connection;
    private final Outbound outbound;
    private final SessionChats chats;
    private final TokenBucket commandRate;

    private State state = State.AWAITING_CONNECT;
    private volatile Principal principal;
    private ScheduledFuture<?> deadline;
    /** Frames that came while this socket was being admitted. */
    private final HeldFrames held;

    Session(String id, ChatEngine engine, Connection connection) {
        this.id = id;
        this.engine = engine;
        this.connection = connection;
        ChatLimits limits = engine.limits();
        this.outbound = new Outbound(connection, limits.maxQueueBytes(), limits.maxQueueFrames(), this::sendFailed);
        this.commandRate = new TokenBucket(limits.commandsPerSecond(), limits.commandBurst(), engine.clock());
        // More than a burst is not held: after connected the rate limit would answer most of them rate_limited.
        this.held = new HeldFrames(limits.commandBurst());
        this.chats = new SessionChats(this, limits.maxPendingEvents());
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Optional<Principal> principal() {
        return Optional.ofNullable(principal);
    }

    ChatEngine engine() {
        return engine;
    }

    Outbound outbound() {
        return outbound;
    }

    String userId() {
        return principal.userId();
    }

    synchronized boolean isOpen() {
        return state == State.OPEN;
    }

    synchronized boolean isClosed() {
        return state == State.CLOSED;
    }

    /** Arms the deadline for the {@code connect} frame. */
    synchronized void awaitConnect(Duration timeout) {
        deadline = engine.timers().schedule(() -> {
            if (awaitsConnect()) {
                engine.metrics().refused(ChatMetrics.Refusal.NO_CONNECT);
                close(CloseCodes.UNAUTHORIZED, "no connect frame in time");
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void onText(String frame) {
        if (isClosed()) {
            return;
        }
        if (frame.length() > engine.limits().maxFrameChars()) {
            close(CloseCodes.TOO_BIG, "frame too large");
            return;
        }
        switch (held.offer(frame)) {
            case HELD -> { }
            case TOO_MANY -> close(CloseCodes.TRY_AGAIN_LATER, "too many frames before connected");
            case NOT_HOLDING -> {
                if (awaitsConnect()) {
                    onFirstFrame(frame);
                } else {
                    onCommand(frame);
                }
            }
        }
    }

    private synchronized boolean awaitsConnect() {
        return state == State.AWAITING_CONNECT;
    }

    private void onCommand(String frame) {
        // Counted before decoding, so that a stream of garbage costs the sender its rate as commands do; a frame over
        // the limit is not read at all.
        if (!rateAllows()) {
            engine.metrics().rateLimited();
            sendError(ErrorCode.RATE_LIMITED, "too many commands; slow down", null);
            return;
        }
        ClientCommand command;
        try {
            command = engine.codec().decodeCommand(frame);
        } catch (ProtocolException e) {
            sendError(ErrorCode.INVALID, e.getMessage(), null);
            return;
        }
        if (command instanceof ClientCommand.Ping) {
            // Answered here, not by the engine: a heartbeat touches no store and no room.
            send(PONG);
            return;
        }
        try {
            engine.handle(this, command);
        } catch (ChatException e) {
            sendError(e.code(), e.getMessage(), command.clientMessageId());
        } catch (RuntimeException e) {
            log.error("command {} failed on connection {}", command.getClass().getSimpleName(), id, e);
            sendError(ErrorCode.INTERNAL, "internal error", command.clientMessageId());
        }
    }

    /** Before authentication only a valid {@code connect} is answered; anything else closes the socket. */
    private void onFirstFrame(String frame) {
        ClientCommand command;
        try {
            command = engine.codec().decodeCommand(frame);
        } catch (ProtocolException e) {
            engine.metrics().refused(ChatMetrics.Refusal.NO_CONNECT);
            close(CloseCodes.UNAUTHORIZED, "the first frame must be a valid connect: " + e.getMessage());
            return;
        }
        if (command instanceof ClientCommand.Connect connect) {
            authenticate(connect.token(), connect.resume());
        } else {
            engine.metrics().refused(ChatMetrics.Refusal.NO_CONNECT);
            close(CloseCodes.UNAUTHORIZED, "the first frame must be connect");
        }
    }

    private synchronized boolean rateAllows() {
        return commandRate.tryTake();
    }

    /**
     * {@inheritDoc}
     *
     * <p>The first token is checked, and the socket admitted, on the engine's executor: this returns at once, and
     * frames that come meanwhile wait for admission to end. A later token (a refresh) is checked on the caller's
     * thread, as any command is.
     */
    @Override
    public void authenticate(String token, Map<String, Long> resume) {
        if (startAdmission()) {
            engine.admit(this, token, resume == null ? Map.of() : resume);
        } else if (isOpen()) {
            refresh(token, resume);
        }
    }

    /** Whether this call moved the socket from awaiting its token to being admitted; frames are held from now on. */
    synchronized boolean startAdmission() {
        if (state != State.AWAITING_CONNECT) {
            return false;
        }
        state = State.ADMITTING;
        held.start();
        // The connect frame came in time; how long its admission takes is the backends' to bound.
        if (deadline != null) {
            deadline.cancel(false);
        }
        return true;
    }

    /**
     * Takes the verified principal of a socket being admitted and arms its expiry; false if the socket closed
     * meanwhile.
     */
    synchronized boolean accept(Principal verified) {
        if (state != State.ADMITTING) {
            return false;
        }
        state = State.OPEN;
        principal = verified;
        armExpiry(verified);
        return true;
    }

    /** Logs (rate-limited, never the token) and counts a refused token of this socket. */
    void tokenRefused(String reason, ChatMetrics.Refusal kind) {
        engine.log().tokenRefused(id, reason);
        engine.metrics().refused(kind);
    }

    /**
     * Admission has ended, admitted or not: the frames held meanwhile run now, in order, and any that come while they
     * run wait for them. A closed socket drops them.
     */
    void admissionEnded() {
        held.runAndStop(this::onCommand, this::isClosed);
    }

    private void refresh(String token, Map<String, Long> resume) {
        TokenVerification verification;
        try {
            verification = Admission.check(engine.tokens(), engine::userIdProblem, token);
        } catch (UnavailableException e) {
            log.warn("token verifier unavailable for connection {}", id, e);
            engine.metrics().refused(ChatMetrics.Refusal.VERIFIER_UNAVAILABLE);
            close(CloseCodes.TRY_AGAIN_LATER, "token verifier unavailable");
            return;
        }
        if (verification instanceof TokenVerification.Refused refused) {
            tokenRefused(refused.reason(), ChatMetrics.Refusal.TOKEN_REFUSED);
            sendError(ErrorCode.UNAUTHORIZED, "token refused: " + refused.reason(), null);
            return;
        }
        Principal verified = ((TokenVerification.Accepted) verification).principal();
        if (!verified.userId().equals(userId())) {
            sendError(ErrorCode.FORBIDDEN, "a refreshed token must name the same user", null);
            return;
        }
        principal = verified;
        armExpiry(verified);
        if (resume != null) {
            resume.forEach((chatId, seq) -> {
                ChatCursor cursor = chats.cursor(chatId);
                if (cursor != null && cursor.rewindTo(seq)) {
                    engine.scheduleCatchUp(cursor);
                }
            });
        }
    }

    private synchronized void armExpiry(Principal verified) {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
        verified.expiry().ifPresent(expiresAt -> {
            // The verifier accepts a token until expiry plus its leeway; closing earlier would cut off a socket it
            // has just let in.
            long closeAt = expiresAt.plus(engine.tokens().leeway()).toEpochMilli();
            long delay = Math.max(0, closeAt - engine.clock().millis());
            deadline = engine.timers().schedule(() -> {
                if (principal == verified) {
                    close(CloseCodes.TOKEN_EXPIRED, "token expired");
                }
            }, delay, TimeUnit.MILLISECONDS);
        });
    }

    /** Queues a frame; a connection that cannot keep up is closed. */
    void send(String frame) {
        if (!outbound.offer(frame)) {
            log.info("connection {} closed as a slow consumer", id);
            engine.metrics().slowConsumerClosed();
            closeLater(CloseCodes.SLOW_CONSUMER, "slow consumer: reconnect and resume");
        }
    }

    /**
     * Stops output now and closes on the timer thread. Used where the caller may hold a chat cursor's lock: closing
     * publishes presence to other cursors, and two connections closing each other's way would deadlock.
     */
    private void closeLater(int code, String reason) {
        outbound.close();
        try {
            engine.timers().execute(() -> close(code, reason));
        } catch (java.util.concurrent.RejectedExecutionException engineClosed) {
            connection.close(code, reason);
        }
    }

    void send(ServerEvent event) {
        send(engine.codec().encode(event));
    }

    void sendError(ErrorCode code, String message, String clientMessageId) {
        send(new ServerEvent.Error(code.wireName(), message, clientMessageId));
    }

    /** Too much live traffic piled up while this connection was catching up; it should reconnect and resume. */
    void closeForResync() {
        closeLater(CloseCodes.TRY_AGAIN_LATER, "too far behind: reconnect and resume");
    }

    private void sendFailed(Throwable failure) {
        log.debug("send failed on connection {}", id, failure);
        closeLater(CloseCodes.SERVER_ERROR, "send failed");
    }

    /** Closes the socket and releases everything the connection held. */
    void close(int code, String reason) {
        if (release()) {
            connection.close(code, reason);
        }
    }

    @Override
    public void onClose() {
        release();
    }

    private boolean release() {
        boolean wasOpen;
        synchronized (this) {
            if (state == State.CLOSED) {
                return false;
            }
            wasOpen = state == State.OPEN;
            state = State.CLOSED;
            if (deadline != null) {
                deadline.cancel(false);
            }
        }
        outbound.close();
        if (wasOpen) {
            engine.release(this);
        } else {
            engine.forget(this);
        }
        return true;
    }

    /** The chats this connection is in, by cursor, and the membership changes it waits for. */
    SessionChats chats() {
        return chats;
    }

    /** Delivers an event of a chat room through the chat's cursor. */
    void deliver(RoomEvent event) {
        ChatCursor cursor = chats.cursor(event.chatId());
        if (cursor == null || id.equals(event.origin())) {
            return;
        }
        switch (cursor.onEvent(event)) {
            case CATCH_UP -> engine.scheduleCatchUp(cursor);
            case RESYNC -> closeForResync();
            case NOTHING -> { }
        }
    }
}
