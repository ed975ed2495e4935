package dev.chatwire.core;

import dev.chatwire.core.memory.InMemoryChatStore;
import dev.chatwire.core.memory.InMemoryMediaStore;
import dev.chatwire.core.memory.InMemoryMessageStore;
import dev.chatwire.core.memory.InMemoryPresenceRegistry;
import dev.chatwire.core.memory.InMemoryReadStateStore;
import dev.chatwire.core.memory.InMemoryRoomBroadcaster;
import dev.chatwire.core.spi.ChatPolicy;
import dev.chatwire.core.spi.ChatStore;
import dev.chatwire.core.spi.MediaStore;
import dev.chatwire.core.spi.MessageStore;
import dev.chatwire.core.spi.PresenceRegistry;
import dev.chatwire.core.spi.ReadStateStore;
import dev.chatwire.core.spi.RoomBroadcaster;
import dev.chatwire.core.spi.TimelineListener;
import dev.chatwire.core.spi.TokenVerifier;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/** Configures a {@link ChatEngine}: {@link ChatEngine#builder()}. Not thread-safe; build once. */
public final class ChatEngineBuilder {
    private TokenVerifier tokens;
    private MessageStore messages;
    private ChatStore chats;
    private PresenceRegistry presence;
    private RoomBroadcaster broadcaster;
    private MediaStore media;
    private ReadStateStore readStates;
    private ChatPolicy policy = ChatPolicy.DEFAULT;
    private TimelineListener listener = TimelineListener.NONE;
    private ChatLimits limits = ChatLimits.defaults();
    private Clock clock = Clock.systemUTC();
    private ScheduledExecutorService scheduler;
    private Executor executor;
    private ChatMetrics metrics = ChatMetrics.NONE;

    ChatEngineBuilder() {
    }

    /** How tokens are checked; required. */
    public ChatEngineBuilder tokenVerifier(TokenVerifier tokens) {
        this.tokens = tokens;
        return this;
    }

    /** Where messages are stored; required. */
    public ChatEngineBuilder messageStore(MessageStore messages) {
        this.messages = messages;
        return this;
    }

    /** Where chats are stored; required. */
    public ChatEngineBuilder chatStore(ChatStore chats) {
        this.chats = chats;
        return this;
    }

    /** Who is online; required. */
    public ChatEngineBuilder presenceRegistry(PresenceRegistry presence) {
        this.presence = presence;
        return this;
    }

    /** How rooms reach other nodes; required. */
    public ChatEngineBuilder roomBroadcaster(RoomBroadcaster broadcaster) {
        this.broadcaster = broadcaster;
        return this;
    }

    /** Where each user's read seq of each chat is stored; required. */
    public ChatEngineBuilder readStateStore(ReadStateStore readStates) {
        this.readStates = readStates;
        return this;
    }

    /**
     * The host's rules for who may create chats, manage members, change messages and post what; see {@link ChatPolicy}.
     */
    public ChatEngineBuilder policy(ChatPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /**
     * Hears of every stored message and change, with who was offline; see {@link TimelineListener}. None unless set.
     */
    public ChatEngineBuilder timelineListener(TimelineListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** Where attachment bytes are stored; required. */
    public ChatEngineBuilder mediaStore(MediaStore media) {
        this.media = media;
        return this;
    }

    /** Uses the in-memory adapters for every store, registry and broadcaster not set yet: one node, no durability. */
    public ChatEngineBuilder inMemory() {
        if (messages == null) {
            messages = new InMemoryMessageStore();
        }
        if (chats == null) {
            chats = new InMemoryChatStore();
        }
        if (presence == null) {
            presence = new InMemoryPresenceRegistry();
        }
        if (broadcaster == null) {
            broadcaster = new InMemoryRoomBroadcaster();
        }
        if (media == null) {
            media = new InMemoryMediaStore();
        }
        if (readStates == null) {
            readStates = new InMemoryReadStateStore();
        }
        return this;
    }

    /** The limits to enforce; {@link ChatLimits#defaults()} unless set. */
    public ChatEngineBuilder limits(ChatLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        return this;
    }

    /** The clock for timestamps, token expiry and rate limits; the system UTC clock unless set. */
    public ChatEngineBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * Runs the engine's deadlines and retry delays: connect and token-expiry deadlines, and the waits between
     * attempts. Its tasks only hand work to the {@link #executor} or close sockets, so one thread is enough. The
     * engine's own single daemon thread unless set; the engine never shuts down a scheduler it was given, so
     * tests can pass one whose time they control.
     */
    public ChatEngineBuilder scheduler(ScheduledExecutorService scheduler) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        return this;
    }

    /**
     * Runs the engine's blocking background work: admissions of new sockets, replays of missed messages,
     * membership changes, presence releases of closed sockets and announcements of expired users. Its size bounds
     * how many admissions wait on the backends at once. The engine's own pool of 4 daemon threads
     * unless set; the engine never shuts down an executor it was given.
     */
    public ChatEngineBuilder executor(Executor executor) {
        this.executor = Objects.requireNonNull(executor, "executor");
        return this;
    }

    /**
     * Where the engine reports what it does: {@link ChatMetrics#NONE} unless set. With Micrometer on the class
     * path, {@code new MicrometerChatMetrics(registry)} records the {@code chatwire.*} meters (docs/operations.md).
     */
    public ChatEngineBuilder metrics(ChatMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        return this;
    }

    /** Builds the engine. */
    public ChatEngine build() {
        return new ChatEngine(this);
    }

    TokenVerifier tokens() {
        return tokens;
    }

    MessageStore messages() {
        return messages;
    }

    ChatStore chats() {
        return chats;
    }

    ReadStateStore readStates() {
        return readStates;
    }

    PresenceRegistry presence() {
        return presence;
    }

    RoomBroadcaster broadcaster() {
        return broadcaster;
    }

    MediaStore media() {
        return media;
    }

    ChatPolicy policy() {
        return policy;
    }

    TimelineListener listener() {
        return listener;
    }

    ChatLimits limits() {
        return limits;
    }

    Clock clock() {
        return clock;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    Executor executor() {
        return executor;
    }

    ChatMetrics metrics() {
        return metrics;
    }
}
