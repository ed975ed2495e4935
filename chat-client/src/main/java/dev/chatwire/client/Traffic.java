package dev.chatwire.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What flows over the socket once it is authenticated. Out: the user's sends, kept in the {@link Outbox} until
 * answered and sent again after each reconnect; typing, at most once per interval per chat and dropped while offline;
 * reads, of which the highest per chat made while offline is sent after connecting. In: new messages let through the
 * {@link Timeline} once, acks and refusals of sends, and events, all passed to their listeners.
 *
 * <p>Threading as the {@link Connector}'s: {@link #send}, {@link #typing}, {@link #read} and {@link #beginClosing} may
 * be called on any thread and post their work to the lane; every other method runs on the lane.
 */
final class Traffic {

    private static final Duration TRANSIENT_RETRY_DELAY = Duration.ofSeconds(1);
    private static final int MAX_TRANSIENT_RETRIES = 5;

    private final Settings settings;
    private final SerialExecutor lane;
    private final Events events;
    private final Timeline timeline;
    private final Outbox outbox = new Outbox(MAX_TRANSIENT_RETRIES);
    private final Map<String, Long> typingSentAt = new HashMap<>();
    private final Map<String, Long> unsentReads = new LinkedHashMap<>();
    /** Set by {@link #beginClosing} on the caller's thread: a later send must fail even if the lane is gone. */
    private volatile boolean closing;
    private boolean closed;
    /** The writer of the authenticated socket; null while there is none. */
    private FrameWriter live;

    Traffic(Settings settings, SerialExecutor lane, Events events, Timeline timeline) {
        this.settings = settings;
        this.lane = lane;
        this.events = events;
        this.timeline = timeline;
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
            if (live != null) {
                live.write(frame);
            }
        });
        return result;
    }

    /** Tells the chat the user is typing, at most once per typing interval per chat; dropped while offline. */
    void typing(String chatId) {
        lane.execute(() -> {
            if (live == null) {
                return;
            }
            long now = settings.clock().millis();
            Long last = typingSentAt.get(chatId);
            if (last != null && now - last < settings.typingInterval().toMillis()) {
                return;
            }
            typingSentAt.put(chatId, now);
            live.write(Frames.typing(chatId));
        });
    }

    /** Tells the chat the user read up to {@code seq}; while offline, the highest one is sent after connecting. */
    void read(String chatId, long seq) {
        lane.execute(() -> {
            if (live == null) {
                unsentReads.merge(chatId, seq, Math::max);
            } else {
                live.write(Frames.read(chatId, seq));
            }
        });
    }

    /** A socket is authenticated: sends every unanswered send and unsent read on it, and what comes later. */
    void online(FrameWriter writer) {
        live = writer;
        outbox.frames().forEach(writer::write);
        unsentReads.forEach((chatId, seq) -> writer.write(Frames.read(chatId, seq)));
        unsentReads.clear();
    }

    /** The authenticated socket is gone: sends wait in the outbox, reads are kept, typing is dropped. */
    void offline() {
        live = null;
    }

    /** Takes a frame of the server's other than {@code connected}. */
    void received(Incoming incoming) {
        if (incoming instanceof Incoming.NewMessage newMessage) {
            if (timeline.accept(newMessage.message())) {
                events.messages.emit(newMessage.message());
            }
        } else if (incoming instanceof Incoming.MessageUpdated updated) {
            if (timeline.accept(updated.update())) {
                events.updates.emit(updated.update());
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

    /** The client is closing: from now on a send fails at once, even before the lane has closed this traffic. */
    void beginClosing() {
        closing = true;
    }

    /** The client closed: unanswered sends fail with {@code cancelled}, and nothing more is sent. */
    void close(CancellationException cancelled) {
        closed = true;
        live = null;
        outbox.failAll(cancelled);
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
        events.errors.emit(new ChatRefusedException(error.code(), error.message()));
    }

    private void resend(String clientMessageId, String frame) {
        // Offline, the reconnect resends every waiting send anyway.
        if (live != null && outbox.waiting(clientMessageId)) {
            live.write(frame);
        }
    }
}
