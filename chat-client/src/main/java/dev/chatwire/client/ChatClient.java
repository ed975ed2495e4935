package dev.chatwire.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * A client of a Chatwire server: one WebSocket kept open, plus the REST API through {@link #api()}.
 *
 * <pre>{@code
 * ChatClient client = ChatClient.builder()
 *         .uri(URI.create("wss://chat.example.com/ws"))
 *         .token(() -> myAuthService.chatToken())          // called again when the server wants a new one
 *         .build();
 * client.onMessage(m -> System.out.println(m.senderId() + ": " + m.text()));
 * client.connect().join();
 * Message stored = client.send(chatId, "hello").join();
 * client.close();
 * }</pre>
 *
 * <p>What it does for the application: it reconnects with exponential backoff and full jitter after any drop; it
 * resumes every chat from the last seq it delivered (kept in the {@link ResumeStorage}), so each message reaches
 * {@link #onMessage} once, in seq order per chat, whatever the reconnects, the user's own messages included; it keeps
 * each {@link #send} until the server acknowledges it and sends it again after a reconnect under the same
 * {@code clientMessageId}, so the server stores it once; it refreshes the token over the open socket before the
 * token expires, and asks for a new one when the server closes with 4401 or 4402; and it pings the server and
 * reconnects when nothing comes back within the ping interval.
 *
 * <p>Threading: every method may be called from any thread and never blocks. Listeners run one at a time on the
 * client's event thread (the scheduler's), in the order events happened; futures returned by {@link #send} complete
 * on it too. A listener must not block, nor wait on the result of a call it makes on this client.
 */
public final class ChatClient implements AutoCloseable {

    private final Settings settings;
    private final Events events = new Events();
    private final Connector connector;
    private final ChatApi api;

    private ChatClient(Settings settings, TokenSource tokens) {
        this.settings = settings;
        this.connector = new Connector(settings, tokens, events);
        this.api = new ChatApi(settings.http(), settings.apiUri(), tokens);
    }

    /** Starts configuring a client; {@link Builder#uri} and a token supplier are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens the socket and keeps it open until {@link #close()}. The future completes at the first successful
     * connect; it keeps waiting through failed attempts (watch {@link #onState}) and fails only if the client is
     * closed first. Calling it again returns the same future.
     */
    public CompletableFuture<Void> connect() {
        return connector.connect();
    }

    /**
     * Closes the socket with 1000 and stops reconnecting. Sends not acknowledged yet fail with a
     * {@link java.util.concurrent.CancellationException} (the server may still have stored them). A scheduler the
     * client made itself is shut down; one the application passed in is left alone. Returns at once.
     */
    @Override
    public void close() {
        connector.close(() -> {
            if (settings.ownsScheduler()) {
                settings.scheduler().shutdown();
            }
        });
    }

    /**
     * Sends a text message; the future completes with the message as stored (its id and seq), or fails with a
     * {@link ChatRefusedException} whose code says why the server refused it ({@code forbidden}, {@code too_large},
     * {@code invalid}, ...). A send made while offline waits for the connection; one whose answer was lost is sent
     * again after the reconnect and still stored once. {@code rate_limited} and {@code unavailable} answers are
     * retried a few times before the future fails with them. A send whose frame would exceed the server's frame limit
     * fails at once with {@code too_large}, and nothing is sent.
     */
    public CompletableFuture<Message> send(String chatId, String text) {
        return connector.send(requireText(chatId, "chatId"), Objects.requireNonNull(text, "text"));
    }

    /**
     * Tells the chat's other connections that the user is typing. Call it on every keystroke: at most one frame goes
     * out per chat per {@link Builder#typingInterval}. Dropped while offline, since it would be stale by then.
     */
    public void typing(String chatId) {
        connector.typing(requireText(chatId, "chatId"));
    }

    /** Tells the chat that the user has read it up to {@code seq}; while offline, the highest is sent on reconnect. */
    public void read(String chatId, long seq) {
        connector.read(requireText(chatId, "chatId"), seq);
    }

    /** The REST API with this client's token: chats, history and uploads. */
    public ChatApi api() {
        return api;
    }

    /** Where the socket stands now; {@link #onState} hears every change. */
    public ConnectionState state() {
        return connector.state();
    }

    /** Calls {@code listener} with each new message of every chat the user is in, once, in seq order per chat. */
    public Registration onMessage(Consumer<? super Message> listener) {
        return events.messages.add(listener);
    }

    /**
     * Calls {@code listener} with each edit, delete and reaction of every chat the user is in, once, in seq order
     * with the chat's new messages ({@link ChatApi#editMessage} and the like make them).
     */
    public Registration onMessageUpdated(Consumer<? super MessageUpdate> listener) {
        return events.updates.add(listener);
    }

    /** Calls {@code listener} when someone else types in one of the user's chats. */
    public Registration onTyping(Consumer<? super TypingEvent> listener) {
        return events.typing.add(listener);
    }

    /** Calls {@code listener} when someone reads one of the user's chats. */
    public Registration onRead(Consumer<? super ReadEvent> listener) {
        return events.reads.add(listener);
    }

    /** Calls {@code listener} when a user sharing a chat comes online or goes offline. */
    public Registration onPresence(Consumer<? super PresenceEvent> listener) {
        return events.presence.add(listener);
    }

    /** Calls {@code listener} when the user is added to a chat or creates one. */
    public Registration onChatJoined(Consumer<? super ChatJoinedEvent> listener) {
        return events.joined.add(listener);
    }

    /** Calls {@code listener} when the user is removed from a chat. */
    public Registration onChatLeft(Consumer<? super ChatLeftEvent> listener) {
        return events.left.add(listener);
    }

    /** Calls {@code listener} when someone joins or leaves one of the user's chats, or is made or unmade an admin. */
    public Registration onChatUpdated(Consumer<? super ChatUpdatedEvent> listener) {
        return events.updatedChats.add(listener);
    }

    /** Calls {@code listener} on every change of the connection: connecting, connected, disconnected. */
    public Registration onState(Consumer<? super ConnectionState> listener) {
        return events.states.add(listener);
    }

    /**
     * Calls {@code listener} with errors the server sent that answer no {@link #send}: a refused typing or read
     * ({@code forbidden}, {@code rate_limited}), or a refused token refresh ({@code unauthorized}).
     */
    public Registration onError(Consumer<? super ChatRefusedException> listener) {
        return events.errors.add(listener);
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    /** Configures a {@link ChatClient}. Not thread-safe; {@link #build()} may be called more than once. */
    public static final class Builder {
        private URI uri;
        private URI apiUri;
        private Supplier<? extends CompletionStage<String>> tokens;
        private ResumeStorage storage;
        private ScheduledExecutorService scheduler;
        private HttpClient http;
        private RandomGenerator random;
        private Clock clock = Clock.systemUTC();
        private Duration initialBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Duration pingInterval = Duration.ofSeconds(10);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private int maxFrameBytes = 64 * 1024;
        private Duration typingInterval = Duration.ofSeconds(3);
        private Duration tokenRefreshLead = Duration.ofSeconds(30);

        private Builder() {
        }

        /** The socket's URI, such as {@code wss://chat.example.com/ws}. Required. */
        public Builder uri(URI uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
            return this;
        }

        /**
         * The REST API's base, such as {@code https://chat.example.com/api/}; by default the socket's host and port
         * at {@code /api/}, over {@code https} for a {@code wss} socket.
         */
        public Builder apiUri(URI apiUri) {
            this.apiUri = Objects.requireNonNull(apiUri, "apiUri");
            return this;
        }

        /**
         * Where tokens come from: called for the first connect, before the token expires, and whenever the server
         * refuses the last one. It may block (an HTTP call to an auth service): it runs on the common fork-join pool,
         * never on the client's event thread. This or {@link #tokenAsync} is required.
         */
        public Builder token(Supplier<String> supplier) {
            Objects.requireNonNull(supplier, "supplier");
            this.tokens = () -> CompletableFuture.supplyAsync(supplier);
            return this;
        }

        /** Where tokens come from, asynchronously; see {@link #token}. The supplier itself must not block. */
        public Builder tokenAsync(Supplier<? extends CompletionStage<String>> supplier) {
            this.tokens = Objects.requireNonNull(supplier, "supplier");
            return this;
        }

        /** Where the last seq per chat is kept for resume; in memory unless set. */
        public Builder storage(ResumeStorage storage) {
            this.storage = Objects.requireNonNull(storage, "storage");
            return this;
        }

        /**
         * The scheduler that runs the client's event thread and its timers. Its {@code execute} must hand the task
         * to a thread of its own (as every {@code ScheduledThreadPoolExecutor} does), never run it on the caller's
         * thread: the caller may be a java.net.http callback. The client never shuts down one it was given; unless
         * set, it makes a single daemon thread of its own, shut down by {@link ChatClient#close()}.
         */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** The HTTP client for the socket and the REST calls; a new one with a 10 s connect timeout unless set. */
        public Builder httpClient(HttpClient http) {
            this.http = Objects.requireNonNull(http, "http");
            return this;
        }

        /** The randomness of the backoff's jitter; {@link RandomGenerator#getDefault()} unless set. */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** The clock token expiries and the typing throttle are read against; the system's UTC clock unless set. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The reconnect backoff: the first ceiling (500 ms) and the cap (30 s) of the jittered, doubling delay. */
        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = positive(initial, "initial");
            this.maxBackoff = positive(max, "max");
            return this;
        }

        /**
         * How often to ping the server (10 s). A socket from which nothing at all (a frame, a ping or a pong) arrives
         * within an interval after a ping is given up and replaced, so a silent drop is noticed within two intervals.
         * This is also how the client notices most connections the server or the network closed: java.net.http does
         * not always report those to its listener.
         */
        public Builder pingInterval(Duration interval) {
            this.pingInterval = positive(interval, "interval");
            return this;
        }

        /** How long opening a socket may take before the attempt counts as failed (10 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "timeout");
            return this;
        }

        /**
         * The server's frame limit in UTF-8 bytes (64 KiB, the server's default {@code maxFrameChars}); a send that
         * would exceed it fails before anything is sent, instead of getting the socket closed with 1009.
         */
        public Builder maxFrameBytes(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxFrameBytes must be 1 or more, was " + bytes);
            }
            this.maxFrameBytes = bytes;
            return this;
        }

        /** The least time between two typing frames for one chat (3 s). */
        public Builder typingInterval(Duration interval) {
            this.typingInterval = positive(interval, "interval");
            return this;
        }

        /**
         * How long before its expiry a token is replaced over the open socket (30 s); for a token that lives shorter
         * than twice that, half its remaining life.
         */
        public Builder tokenRefreshLead(Duration lead) {
            this.tokenRefreshLead = positive(lead, "lead");
            return this;
        }

        /** A client as configured, not connected yet. */
        public ChatClient build() {
            if (uri == null) {
                throw new IllegalStateException("uri is required");
            }
            if (tokens == null) {
                throw new IllegalStateException("a token supplier is required: token(...) or tokenAsync(...)");
            }
            boolean ownsScheduler = scheduler == null;
            Settings settings = new Settings(uri, apiUri != null ? apiUri : defaultApiUri(uri),
                    http != null ? http : HttpClient.newBuilder().connectTimeout(connectTimeout).build(),
                    ownsScheduler ? ownScheduler() : scheduler, ownsScheduler,
                    storage != null ? storage : new InMemoryResumeStorage(),
                    random != null ? random : RandomGenerator.getDefault(), clock, initialBackoff, maxBackoff,
                    pingInterval, connectTimeout, maxFrameBytes, typingInterval, tokenRefreshLead);
            return new ChatClient(settings, new TokenSource(tokens, clock));
        }

        private static URI defaultApiUri(URI socket) {
            String scheme = "wss".equalsIgnoreCase(socket.getScheme()) ? "https" : "http";
            return URI.create(scheme + "://" + socket.getRawAuthority() + "/api/");
        }

        private static ScheduledExecutorService ownScheduler() {
            ScheduledThreadPoolExecutor own = new ScheduledThreadPoolExecutor(1, task -> {
                Thread thread = new Thread(task, "chatwire-client");
                // A client the application forgot to close must not keep the JVM alive.
                thread.setDaemon(true);
                return thread;
            });
            own.setRemoveOnCancelPolicy(true);
            own.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            own.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
            return own;
        }

        private static Duration positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }
    }
}
