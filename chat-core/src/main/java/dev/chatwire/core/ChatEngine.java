package dev.chatwire.core;

import dev.chatwire.core.protocol.ClientCommand;
import dev.chatwire.core.protocol.ProtocolCodec;
import dev.chatwire.core.spi.Connection;
import dev.chatwire.core.spi.HealthCheck;
import dev.chatwire.core.spi.Subscription;
import dev.chatwire.core.spi.TokenVerifier;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * The chat engine: authenticates sockets, checks membership, stores messages and only then broadcasts them, and
 * keeps every connection's view of every chat gap-free and duplicate-free.
 *
 * <p>A transport hands each new socket to {@link #open} and feeds the returned {@link ClientSession}; a REST layer
 * calls the request methods ({@link #send}, {@link #createChat}, {@link #history}, ...) with a {@link Principal} from
 * {@link #authenticate}. Request methods throw {@link ChatException} for every refusal and failure, with an
 * {@link ErrorCode} the transport maps. All methods are thread-safe; request methods block on the stores.
 *
 * <pre>{@code
 * ChatEngine engine = ChatEngine.builder()
 *         .tokenVerifier(JwtTokenVerifier.hs256(secret).build())
 *         .inMemory()                      // or messageStore(...), chatStore(...), ... for real adapters
 *         .build();
 * }</pre>
 *
 * <p>Blocking background work (admissions of new sockets, replays, membership changes, presence releases and
 * announcements) runs on an {@link ChatEngineBuilder#executor executor}, deadlines and retry delays on a
 * {@link ChatEngineBuilder#scheduler scheduler}; unless given, the engine makes its own (daemon threads, released by
 * {@link #close()}). docs/architecture.md says which thread runs what. It never closes the stores, registry or
 * broadcaster it was given: the host owns them.
 */
public final class ChatEngine implements AutoCloseable {

    /**
     * Workers the engine makes when the host gives no executor. An admission is about seven backend round trips
     * (chats, last seqs, read state, unread counts, presence, rooms), so the workers bound how many sockets of a
     * reconnect storm wait on backends at once: four held it to a few hundred admissions a second on backends 2 ms
     * away, however idle the CPU.
     */
    private static final int DEFAULT_WORKER_THREADS = 32;
    /** How long {@link #close()} waits for background work, such as the closed sockets' presence releases. */
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    private final EngineParts parts;
    /** The adapters as the host gave them, for health checks; {@link #parts} may hold them wrapped for metrics. */
    private final Adapters adapters;
    private final OwnThreads ownThreads = new OwnThreads();
    private final ChatRequests requests;
    private final Uploads uploads;
    private final MessageChanges changes;
    private final ChatList chatList;
    private final Replays replays;
    private final LocalRooms rooms;
    private final MembershipSync membership;
    private final SocketRegistry sockets;
    private final Subscription expiredPresence;
    private final EngineLog engineLog;

    ChatEngine(ChatEngineBuilder builder) {
        ScheduledExecutorService timers = builder.scheduler() != null ? builder.scheduler() : ownThreads.timer();
        Executor work = builder.executor() != null ? builder.executor()
                : ownThreads.workers(DEFAULT_WORKER_THREADS);
        this.adapters = Adapters.of(builder);
        this.parts = EngineParts.counted(adapters, builder, timers, work);
        TimelinePublisher timeline = new TimelinePublisher(parts);
        PresenceAnnouncer presence = new PresenceAnnouncer(parts, timeline);
        this.replays = new Replays(parts);
        ChatStates states = new ChatStates(parts);
        this.membership = new MembershipSync(parts, replays, states);
        this.rooms = membership.rooms();
        this.requests = new ChatRequests(parts, timeline, membership, states);
        this.uploads = new Uploads(parts, timeline, requests);
        this.changes = new MessageChanges(parts, timeline, requests);
        this.chatList = new ChatList(parts, states);
        this.sockets = new SocketRegistry(parts, rooms, presence, replays, timeline, requests, changes, states);
        this.expiredPresence = parts.presence().onExpired(presence::expired);
        this.engineLog = new EngineLog(builder.clock());
        engineLog.started(adapters, builder.limits());
        builder.metrics().bind(sockets.gauges());
    }

    /** Starts configuring an engine. */
    public static ChatEngineBuilder builder() {
        return new ChatEngineBuilder();
    }

    /** The limits this engine enforces. */
    public ChatLimits limits() {
        return parts.limits();
    }

    /** The JSON codec of this engine's protocol, for transports that write JSON bodies the same way. */
    public ProtocolCodec codec() {
        return parts.codec();
    }

    /** The clock this engine reads time from, for transports that keep time-based state (rate limits) the same way. */
    public Clock clock() {
        return parts.clock();
    }

    ScheduledExecutorService timers() {
        return parts.timers();
    }

    TokenVerifier tokens() {
        return parts.tokens();
    }

    EngineLog log() {
        return engineLog;
    }

    ChatMetrics metrics() {
        return parts.metrics().report();
    }

    /**
     * Takes a new client socket. The client must authenticate with a {@code connect} frame within
     * {@link ChatLimits#connectTimeout()} (or the transport calls {@link ClientSession#authenticate}), else the socket
     * is closed with {@link CloseCodes#UNAUTHORIZED}.
     */
    public ClientSession open(Connection connection) {
        return sockets.open(this, parts.metrics().timed(connection));
    }

    /** Checks a session's first token and admits it on the executor; returns at once. Called once per session. */
    void admit(Session session, String token, Map<String, Long> resume) {
        sockets.admit(session, token, resume);
    }

    /** Forgets a session that closed before it was admitted. */
    void forget(Session session) {
        sockets.forget(session);
    }

    /** Leaves every room and reports the user offline when this was its last connection. */
    void release(Session session) {
        sockets.release(session);
    }

    /** Runs a command of an authenticated session. */
    void handle(Session session, ClientCommand command) {
        sockets.handle(session, command);
    }

    /** Runs a cursor's catch-up on the executor. */
    void scheduleCatchUp(ChatCursor cursor) {
        replays.schedule(cursor);
    }

    /** Has a connection's chats read from the store again, on the executor; see {@link MembershipSync}. */
    void resyncMembership(Session session) {
        membership.resyncLater(session);
    }

    /**
     * Verifies a bearer token.
     *
     * @throws ChatException {@link ErrorCode#UNAUTHORIZED} if it is refused
     */
    public Principal authenticate(String token) {
        return requests.authenticate(token);
    }

    /** Why a token's subject is not acceptable as a user id here, or empty if it is; sessions ask before admitting. */
    Optional<String> userIdProblem(String userId) {
        return requests.userIdProblem(userId);
    }

    /** Posts a text message; see {@link #send(Principal, String, String, String, List)}. */
    public Message send(Principal sender, String chatId, String text, String clientMessageId) {
        return requests.sendText(sender, chatId, text, clientMessageId, stored -> { });
    }

    /**
     * Posts a text message, and hands its JSON as the engine serialized it for the room ({@link
     * ProtocolCodec#encodeMessage}) to {@code messageJson} once it is stored, so that a transport can answer with it
     * instead of serializing the message again. {@code messageJson} runs on whichever thread stores the chat's batch
     * that holds this message, before the message is broadcast: it must only hand the text on.
     */
    public Message send(Principal sender, String chatId, String text, String clientMessageId,
                        Consumer<String> messageJson) {
        return requests.sendText(sender, chatId, text, clientMessageId, messageJson);
    }

    /**
     * Posts text and files to a chat. The text becomes one message and each file another, in that order. Every file
     * is sniffed and size-checked and stored before any message is; each message is stored before it is broadcast.
     * A retry with the same {@code clientMessageId} returns the messages the first try stored and stores nothing new
     * (the files of the n-th attachment are keyed {@code clientMessageId + "#" + n}).
     *
     * @param text            may be null when there are files
     * @param clientMessageId the idempotency key, or null
     * @return the stored messages
     * @throws ChatException forbidden for non-participants (whether or not the chat exists), invalid, too large,
     *                       unsupported media type, or unavailable
     */
    public List<Message> send(Principal sender, String chatId, String text, String clientMessageId,
                              List<Upload> files) {
        return uploads.send(sender, chatId, text, clientMessageId, files);
    }

    /**
     * Creates a chat owned by the creator, who is always a participant and has accepted it; each participant's live
     * connections join it at once and receive {@code chat_joined}.
     */
    public Chat createChat(Principal creator, Collection<String> participants, String name) {
        return requests.createChat(creator, participants, name);
    }

    /**
     * Adds a participant; only the chat's owner or an admin may. The added user's live connections join at once; the
     * user shows its presence in the chat only once it accepts it by sending or reading there. The chat's connections
     * get {@code chat_updated}. With {@link dev.chatwire.core.spi.ChatPolicy#historyFromJoin history from join}, the
     * user sees only what the chat stores from now on.
     *
     * @throws ChatException forbidden for a non-participant or a participant who does not manage the chat
     */
    public Chat addParticipant(Principal actor, String chatId, String userId) {
        return requests.addParticipant(actor, chatId, userId);
    }

    /**
     * Removes a participant: anyone may leave; the owner may remove anyone, an admin anyone but the owner and other
     * admins. The removed user's connections on this node receive nothing more of the chat once this returns, and
     * then {@code chat_left}. The removal takes a seq in the chat's timeline, so that on other nodes too they receive
     * nothing stored after it, however late {@code chat_left} reaches them. The chat's remaining connections get
     * {@code chat_updated}, in seq order.
     *
     * @throws ChatException forbidden for a non-participant or a removal the actor may not make; invalid for the last
     *                       participant
     */
    public Chat removeParticipant(Principal actor, String chatId, String userId) {
        return requests.removeParticipant(actor, chatId, userId);
    }

    /**
     * Makes a participant an admin, or no longer one; only the chat's owner may. Naming the owner changes nothing. A
     * change (not a repeat) reaches the chat's connections as {@code chat_updated}.
     *
     * @throws ChatException forbidden unless the actor owns the chat; invalid if {@code userId} is not a participant
     */
    public Chat setAdmin(Principal actor, String chatId, String userId, boolean admin) {
        return requests.setAdmin(actor, chatId, userId, admin);
    }

    /**
     * A chat, for one of its participants: what a transport checks before it reads a large request body for the chat.
     *
     * @throws ChatException forbidden for non-participants (whether or not the chat exists), or unavailable
     */
    public Chat chat(Principal user, String chatId) {
        return RequestFailures.guarded(() -> requests.requireParticipant(user, chatId));
    }

    /** Every chat the user takes part in, oldest first. */
    public List<Chat> chats(Principal user) {
        return requests.chats(user);
    }

    /**
     * A page of a chat's history, oldest first, as the query says.
     *
     * @throws ChatException forbidden for non-participants, invalid for a limit outside 1 to
     *                       {@link ChatLimits#maxHistoryPage()}, or unavailable
     */
    public List<Message> history(Principal user, String chatId, HistoryQuery query) {
        return requests.history(user, chatId, Objects.requireNonNull(query, "query"));
    }

    /**
     * A page of the user's chats, newest activity first, each with its newest message, the user's read seq and
     * unread count, and the others' read seqs.
     *
     * @param before the {@link ChatPage#nextCursor()} of the previous page, or {@code null} for the first page
     * @param limit  1 to {@link ChatLimits#maxHistoryPage()}
     * @throws ChatException invalid for a bad limit or cursor, or unavailable
     */
    public ChatPage chatList(Principal user, String before, int limit) {
        return chatList.page(user, before, limit);
    }

    /**
     * Stores that the user has read the chat up to {@code seq}, on every device, and tells the chat. A read seq
     * never moves back and never passes the chat's newest seq.
     *
     * @return the user's read seq in the chat as stored
     * @throws ChatException forbidden for non-participants, invalid for a negative seq, or unavailable
     */
    public long markRead(Principal user, String chatId, long seq) {
        return requests.markRead(user, chatId, seq);
    }

    /**
     * Replaces the text of a message; by default only its sender may ({@link dev.chatwire.core.spi.ChatPolicy}). The
     * edit takes the chat's next seq and every participant receives {@code message_updated}.
     *
     * @return the edit's timeline entry, with the message's new state
     * @throws ChatException forbidden for non-participants or when the policy refuses, not found for no such
     *                       message, invalid for a deleted message or bad text, too large for long text
     */
    public TimelineEntry editMessage(Principal actor, String chatId, String messageId, String text) {
        return changes.edit(actor, chatId, messageId, text);
    }

    /**
     * Deletes a message, and its file's bytes; by default only its sender may. Its text and file are gone for
     * everyone; the delete takes the chat's next seq and every participant receives {@code message_updated}.
     *
     * @return the delete's timeline entry, with the message's new state
     * @throws ChatException as {@link #editMessage} does
     */
    public TimelineEntry deleteMessage(Principal actor, String chatId, String messageId) {
        return changes.delete(actor, chatId, messageId);
    }

    /**
     * Adds ({@code active}) or removes the user's reaction to a message: one emoji, with at most
     * {@link ChatLimits#maxReactionsPerMessage()} different ones per message. Takes the chat's next seq and every
     * participant receives {@code message_updated}.
     *
     * @return the reaction's timeline entry, with the message's new state
     * @throws ChatException as {@link #editMessage} does; invalid for something that is not one emoji, too large past
     *                       the limit
     */
    public TimelineEntry react(Principal actor, String chatId, String messageId, String emoji, boolean active) {
        return changes.react(actor, chatId, messageId, emoji, active);
    }

    /**
     * Opens an attachment for a participant of its chat.
     *
     * @throws ChatException not found, both when there is no such media and when the user may not see it
     */
    public MediaDownload openMedia(Principal user, String mediaId) {
        return requests.openMedia(user, mediaId);
    }

    /**
     * Whether each given user is online. Only the asking user itself and users who accepted a chat the asking user
     * is in (by creating it, sending or reading in it) are reported as they are; everyone else reads as offline, so
     * that adding someone to a chat does not expose them.
     */
    public Map<String, Boolean> presence(Principal user, Collection<String> userIds) {
        return requests.presence(user, userIds);
    }

    /**
     * Checks the backends now: each adapter that implements {@link HealthCheck} (the MongoDB and Redis adapters, the
     * in-memory ones), by role ({@code messageStore}, {@code chatStore}, {@code mediaStore},
     * {@code presenceRegistry}, {@code roomBroadcaster}, {@code tokenVerifier}); adapters without a check are left
     * out. Blocks for a round trip to each backend; a check that throws reads as down.
     */
    public Map<String, HealthCheck.Health> health() {
        Map<String, HealthCheck.Health> health = new LinkedHashMap<>();
        adapters.checks().forEach((role, check) -> health.put(role, check.checkHealth()));
        return health;
    }

    /**
     * The checks {@link #health()} runs, by role, for a host that runs them one at a time (a health endpoint with a
     * component per adapter); each reads a check that throws as down.
     */
    public Map<String, HealthCheck> healthChecks() {
        return adapters.checks();
    }

    /** How many sockets this node holds, authenticated or not. */
    public int connectionCount() {
        return sockets.count();
    }

    /**
     * Closes every socket with {@link CloseCodes#GOING_AWAY} and stops the threads the engine made itself, after
     * giving the closed sockets' presence releases up to {@link #SHUTDOWN_GRACE} to finish, so that other nodes see
     * this node's users go offline now rather than when the registry's expiry runs out.
     */
    @Override
    public void close() {
        expiredPresence.close();
        sockets.closeAll();
        ownThreads.shutdown(SHUTDOWN_GRACE);
        rooms.closeAll();
        parts.metrics().report().unbind();
    }
}
