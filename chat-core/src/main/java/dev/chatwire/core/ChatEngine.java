package dev.chatwire.core;

import dev.chatwire.core.protocol.ClientCommand;
import dev.chatwire.core.protocol.ProtocolCodec;
import dev.chatwire.core.protocol.ServerEvent;
import dev.chatwire.core.spi.ChatStore;
import dev.chatwire.core.spi.Connection;
import dev.chatwire.core.spi.MediaStore;
import dev.chatwire.core.spi.MediaTooLargeException;
import dev.chatwire.core.spi.MessageStore;
import dev.chatwire.core.spi.MessageStore.Appended;
import dev.chatwire.core.spi.PresenceRegistry;
import dev.chatwire.core.spi.RoomBroadcaster;
import dev.chatwire.core.spi.RoomEvent;
import dev.chatwire.core.spi.Subscription;
import dev.chatwire.core.spi.TokenVerification;
import dev.chatwire.core.spi.TokenVerifier;
import dev.chatwire.core.spi.UnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

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
 * <p>The engine owns three small thread pools (timers, replays, membership changes), all daemon threads, released by
 * {@link #close()}. It never closes the stores, registry or broadcaster it was given: the host owns them.
 */
public final class ChatEngine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChatEngine.class);
    private static final String CHAT_ROOM = "chat:";
    private static final String USER_ROOM = "user:";
    private static final int PUBLISH_LOCK_STRIPES = 4096;
    /** How often a presence event is checked against the registry and corrected, at most. */
    private static final int PRESENCE_CHECKS = 3;
    private static final int MAX_PRESENCE_QUERY = 200;

    private final TokenVerifier tokens;
    private final MessageStore messages;
    private final ChatStore chats;
    private final PresenceRegistry presence;
    private final RoomBroadcaster broadcaster;
    private final MediaStore media;
    private final ChatLimits limits;
    private final Clock clock;
    private final ProtocolCodec codec = new ProtocolCodec();
    private final MediaSniffer sniffer = new MediaSniffer();
    private final LocalRooms rooms;
    private final Object[] publishLocks = new Object[PUBLISH_LOCK_STRIPES];
    private final ScheduledExecutorService timers;
    private final ExecutorService replays;
    private final ExecutorService membership;
    private final Subscription expiredPresence;
    private final Set<Session> sessions = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private ChatEngine(Builder builder) {
        this.tokens = Objects.requireNonNull(builder.tokens, "tokenVerifier");
        this.messages = Objects.requireNonNull(builder.messages, "messageStore");
        this.chats = Objects.requireNonNull(builder.chats, "chatStore");
        this.presence = Objects.requireNonNull(builder.presence, "presenceRegistry");
        this.broadcaster = Objects.requireNonNull(builder.broadcaster, "roomBroadcaster");
        this.media = Objects.requireNonNull(builder.media, "mediaStore");
        this.limits = builder.limits;
        this.clock = builder.clock;
        for (int i = 0; i < publishLocks.length; i++) {
            publishLocks[i] = new Object();
        }
        ScheduledThreadPoolExecutor timerPool = new ScheduledThreadPoolExecutor(1, daemon("chatwire-timer"));
        // Every socket arms a connect deadline and usually cancels it within milliseconds: drop cancelled tasks at
        // once instead of holding them (about 100 bytes each) until their time comes.
        timerPool.setRemoveOnCancelPolicy(true);
        this.timers = timerPool;
        this.replays = Executors.newFixedThreadPool(builder.replayThreads, daemon("chatwire-replay"));
        this.membership = Executors.newSingleThreadExecutor(daemon("chatwire-membership"));
        this.rooms = new LocalRooms(broadcaster, new RoomEvents());
        this.expiredPresence = presence.onExpired(this::announceExpired);
    }

    /** Starts configuring an engine. */
    public static Builder builder() {
        return new Builder();
    }

    /** The limits this engine enforces. */
    public ChatLimits limits() {
        return limits;
    }

    /** The JSON codec of this engine's protocol, for transports that write JSON bodies the same way. */
    public ProtocolCodec codec() {
        return codec;
    }

    Clock clock() {
        return clock;
    }

    ScheduledExecutorService timers() {
        return timers;
    }

    TokenVerifier tokens() {
        return tokens;
    }

    // ---- Sockets -------------------------------------------------------------------------------------------------

    /**
     * Takes a new client socket. The client must authenticate with a {@code connect} frame within
     * {@link ChatLimits#connectTimeout()} (or the transport calls {@link ClientSession#authenticate}), else the socket
     * is closed with {@link CloseCodes#UNAUTHORIZED}.
     */
    public ClientSession open(Connection connection) {
        Session session = new Session(UUID.randomUUID().toString(), this, Objects.requireNonNull(connection));
        sessions.add(session);
        session.awaitConnect(limits.connectTimeout());
        return session;
    }

    /** Joins an authenticated session to its rooms and sends {@code connected}; called once per session. */
    void admit(Session session, Map<String, Long> resume) {
        String userId = session.userId();
        boolean admitted;
        synchronized (rooms) {
            admitted = rooms.members(USER_ROOM + userId).size() < limits.maxConnectionsPerUser();
            if (admitted) {
                rooms.join(USER_ROOM + userId, session);
            }
        }
        if (!admitted) {
            session.close(CloseCodes.TOO_MANY_CONNECTIONS, "too many connections for this user");
            return;
        }
        try {
            List<String> chatIds = new ArrayList<>();
            for (Chat chat : chats.chatsOf(userId)) {
                chatIds.add(chat.id());
                session.addCursor(chat.id(), resume.getOrDefault(chat.id(), ChatCursor.UNKNOWN));
                rooms.join(CHAT_ROOM + chat.id(), session);
            }
            Map<String, Long> seqs = new LinkedHashMap<>();
            for (String chatId : chatIds) {
                seqs.put(chatId, messages.lastSeq(chatId));
            }
            // Online before connected: a client told it is connected shows as online, and a presence outage refuses
            // the socket before it is told anything. Its own cursors hold the event until connected has gone out.
            if (presence.connect(userId, session.id())) {
                publishPresence(userId, chatIds, true);
                settlePresence(userId, chatIds, true);
            }
            session.send(new ServerEvent.Connected(userId, session.id(), chatIds, seqs));
            for (ChatCursor cursor : session.cursors()) {
                cursor.announced();
                startCursor(cursor, seqs.getOrDefault(cursor.chatId(), 0L));
            }
            session.told();
        } catch (UnavailableException e) {
            log.warn("could not admit connection {}", session.id(), e);
            session.close(CloseCodes.TRY_AGAIN_LATER, "service unavailable");
            return;
        }
        if (session.isClosed()) {
            release(session);
        }
    }

    /** Sends a new cursor's held events, replaying from the store first when the client resumes from an older seq. */
    private void startCursor(ChatCursor cursor, long lastSeq) {
        cursor.setBaseline(lastSeq);
        if (cursor.delivered() >= lastSeq && cursor.step(cursor.delivered(), List.of(), false)) {
            return;
        }
        scheduleCatchUp(cursor);
    }

    /** Forgets a session that closed before it was admitted. */
    void forget(Session session) {
        sessions.remove(session);
    }

    /** Leaves every room and reports the user offline when this was its last connection. */
    void release(Session session) {
        sessions.remove(session);
        String userId = session.userId();
        List<String> chatIds = session.chatIds();
        rooms.leave(USER_ROOM + userId, session);
        for (String chatId : chatIds) {
            rooms.leave(CHAT_ROOM + chatId, session);
        }
        try {
            if (presence.disconnect(userId, session.id())) {
                publishPresence(userId, chatIds, false);
                settlePresence(userId, chatIds, false);
            }
        } catch (UnavailableException e) {
            log.warn("presence not updated for closed connection {}; it expires with this node's heartbeat",
                    session.id(), e);
        }
    }

    /** Runs a command of an authenticated session. */
    void handle(Session session, ClientCommand command) {
        Principal principal = session.principal().orElseThrow();
        guarded(() -> {
            if (command instanceof ClientCommand.Send send) {
                sendText(principal, send.chatId(), send.text(), send.clientMessageId(),
                        messageJson -> session.send(codec.ackFrame(send.clientMessageId(), messageJson)));
            } else if (command instanceof ClientCommand.Typing typing) {
                requireJoined(session, typing.chatId());
                publish(typing.chatId(), new RoomEvent("typing", typing.chatId(), 0, codec.encode(
                        new ServerEvent.Typing(typing.chatId(), principal.userId(), typing.active())), session.id()));
            } else if (command instanceof ClientCommand.Read read) {
                requireJoined(session, read.chatId());
                publishRead(principal.userId(), read.chatId(), read.seq(), session.id());
            } else if (command instanceof ClientCommand.Connect connect) {
                session.authenticate(connect.token(), connect.resume());
            } else if (command instanceof ClientCommand.Auth auth) {
                session.authenticate(auth.token(), null);
            }
            return null;
        });
    }

    private static void requireJoined(Session session, String chatId) {
        if (session.cursor(chatId) == null) {
            throw notParticipant();
        }
    }

    // ---- Requests ------------------------------------------------------------------------------------------------

    /**
     * Verifies a bearer token.
     *
     * @throws ChatException {@link ErrorCode#UNAUTHORIZED} if it is refused
     */
    public Principal authenticate(String token) {
        if (token == null || token.isBlank()) {
            throw new ChatException(ErrorCode.UNAUTHORIZED, "missing token");
        }
        TokenVerification verification = guarded(() -> tokens.verify(token));
        if (verification instanceof TokenVerification.Accepted accepted) {
            return accepted.principal();
        }
        throw new ChatException(ErrorCode.UNAUTHORIZED,
                "token refused: " + ((TokenVerification.Refused) verification).reason());
    }

    /** Posts a text message; see {@link #send(Principal, String, String, String, List)}. */
    public Message send(Principal sender, String chatId, String text, String clientMessageId) {
        return sendText(sender, chatId, text, clientMessageId, stored -> { });
    }

    /**
     * Posts a text message, and hands its JSON as the engine serialized it for the room ({@link
     * ProtocolCodec#encodeMessage}) to {@code messageJson} once it is stored, so that a transport can answer with it
     * instead of serializing the message again. {@code messageJson} runs on the calling thread, holding the chat's
     * publish lock: it must only keep the text.
     */
    public Message send(Principal sender, String chatId, String text, String clientMessageId,
                        Consumer<String> messageJson) {
        return sendText(sender, chatId, text, clientMessageId, messageJson);
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
                              List<Upload> uploads) {
        String body = text == null || text.isBlank() ? null : text;
        if (uploads.isEmpty()) {
            return List.of(send(sender, chatId, body, clientMessageId));
        }
        checkText(body, true);
        if (uploads.size() > limits.maxAttachments()) {
            throw new ChatException(ErrorCode.TOO_LARGE, "at most " + limits.maxAttachments() + " files per send");
        }
        return guarded(() -> {
            requireParticipant(sender, chatId);
            Instant now = now();
            List<MessageDraft> drafts = new ArrayList<>();
            if (body != null) {
                drafts.add(MessageDraft.text(chatId, sender.userId(), body, clientMessageId, now));
            }
            List<MediaInfo> stored = storeUploads(sender, chatId, uploads, now);
            for (int i = 0; i < stored.size(); i++) {
                MediaInfo info = stored.get(i);
                String key = clientMessageId == null ? null : clientMessageId + "#" + (i + 1);
                drafts.add(new MessageDraft(chatId, sender.userId(), MessageType.forMediaType(info.mimeType()), null,
                        Attachment.of(info), key, now));
            }
            List<Message> sent = new ArrayList<>();
            try {
                for (MessageDraft draft : drafts) {
                    Appended appended = appendAndPublish(draft, json -> { });
                    if (!appended.created() && draft.attachment() != null) {
                        media.delete(draft.attachment().mediaId());
                    }
                    sent.add(appended.message());
                }
            } catch (RuntimeException e) {
                stored.subList(Math.max(0, sent.size() - (body == null ? 0 : 1)), stored.size())
                        .forEach(info -> deleteQuietly(info.id()));
                throw e;
            }
            return sent;
        });
    }

    private List<MediaInfo> storeUploads(Principal sender, String chatId, List<Upload> uploads, Instant now) {
        List<MediaInfo> stored = new ArrayList<>();
        try {
            for (Upload upload : uploads) {
                InputStream content = new BufferedInputStream(upload.content(), 64 * 1024);
                String mimeType = sniffer.detect(content);
                if (!limits.allowsMediaType(mimeType)) {
                    throw new ChatException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                            "files of type " + mimeType + " are not accepted");
                }
                MediaUpload info = new MediaUpload(chatId, sender.userId(), upload.name(), mimeType, now);
                stored.add(media.put(info, content, limits.maxUploadBytes()));
            }
            return stored;
        } catch (MediaTooLargeException e) {
            stored.forEach(info -> deleteQuietly(info.id()));
            throw new ChatException(ErrorCode.TOO_LARGE, "a file is larger than " + limits.maxUploadBytes() + " bytes");
        } catch (RuntimeException e) {
            stored.forEach(info -> deleteQuietly(info.id()));
            throw e;
        }
    }

    private void deleteQuietly(String mediaId) {
        try {
            media.delete(mediaId);
        } catch (RuntimeException e) {
            log.warn("could not delete orphaned media {}", mediaId, e);
        }
    }

    private Message sendText(Principal sender, String chatId, String text, String clientMessageId,
                             Consumer<String> onStored) {
        checkText(text, false);
        return guarded(() -> {
            requireParticipant(sender, chatId);
            MessageDraft draft = MessageDraft.text(chatId, sender.userId(), text, clientMessageId, now());
            return appendAndPublish(draft, onStored).message();
        });
    }

    private void checkText(String text, boolean optional) {
        if (text == null || text.isBlank()) {
            if (!optional) {
                throw new ChatException(ErrorCode.INVALID, "a message needs text or a file");
            }
            return;
        }
        if (text.length() > limits.maxTextChars()) {
            throw new ChatException(ErrorCode.TOO_LARGE, "text longer than " + limits.maxTextChars() + " characters");
        }
        InputRules.requireText(text);
    }

    /**
     * Stores a draft, then broadcasts it. Per-chat publishing is serialized on this node so that its broadcasts leave
     * in seq order; the cursors repair any order the nodes disagree on.
     *
     * <p>A retry that finds the message already stored broadcasts it again: the first try may have failed after the
     * store accepted it (a lost reply) and before anyone was told. Connections that already have it drop the repeat,
     * since their cursors are past its seq.
     */
    private Appended appendAndPublish(MessageDraft draft, Consumer<String> onStored) {
        try (WriteBatch writesAfterUnlock = WriteBatch.open()) {
            synchronized (publishLock(draft.chatId())) {
                Appended appended = messages.append(draft);
                Message message = appended.message();
                String messageJson = codec.encodeMessage(message);
                onStored.accept(messageJson);
                publish(draft.chatId(), new RoomEvent("new_message", draft.chatId(), message.seq(),
                        codec.newMessageFrame(messageJson)));
                return appended;
            }
        }
    }

    private Object publishLock(String chatId) {
        return publishLocks[(chatId.hashCode() & 0x7fffffff) % PUBLISH_LOCK_STRIPES];
    }

    /**
     * Creates a chat. The creator is always a participant; each participant's live connections join it at once and
     * receive {@code chat_joined}.
     */
    public Chat createChat(Principal creator, Collection<String> participants, String name) {
        Set<String> members = new LinkedHashSet<>();
        members.add(creator.userId());
        for (String participant : participants) {
            InputRules.requireUserId(participant);
            members.add(participant);
        }
        if (members.size() > limits.maxParticipants()) {
            throw new ChatException(ErrorCode.TOO_LARGE, "at most " + limits.maxParticipants() + " participants");
        }
        if (name != null && name.length() > 200) {
            throw new ChatException(ErrorCode.TOO_LARGE, "chat names are at most 200 characters");
        }
        return guarded(() -> {
            Chat chat = chats.create(members, name, now());
            announceJoined(chat, members, 0);
            return chat;
        });
    }

    /** Adds a participant; any participant may add others. The added user's live connections join at once. */
    public Chat addParticipant(Principal actor, String chatId, String userId) {
        InputRules.requireUserId(userId);
        return guarded(() -> {
            Chat chat = requireParticipant(actor, chatId);
            if (chat.hasParticipant(userId)) {
                return chat;
            }
            if (chat.participants().size() >= limits.maxParticipants()) {
                throw new ChatException(ErrorCode.TOO_LARGE, "at most " + limits.maxParticipants() + " participants");
            }
            Chat updated = chats.addParticipant(chatId, userId).orElseThrow(ChatEngine::notParticipant);
            announceJoined(updated, List.of(userId), messages.lastSeq(chatId));
            return updated;
        });
    }

    /**
     * Removes a participant; any participant may remove any other, or leave. The removed user's live connections
     * leave the chat at once and receive {@code chat_left}.
     */
    public Chat removeParticipant(Principal actor, String chatId, String userId) {
        return guarded(() -> {
            Chat chat = requireParticipant(actor, chatId);
            if (!chat.hasParticipant(userId)) {
                return chat;
            }
            if (chat.participants().size() == 1) {
                throw new ChatException(ErrorCode.INVALID, "the last participant cannot leave");
            }
            Chat updated = chats.removeParticipant(chatId, userId).orElseThrow(ChatEngine::notParticipant);
            broadcaster.publish(USER_ROOM + userId, new RoomEvent("chat_left", chatId, 0,
                    codec.encode(new ServerEvent.ChatLeft(chatId))));
            return updated;
        });
    }

    private void announceJoined(Chat chat, Collection<String> userIds, long lastSeq) {
        String frame = codec.encode(new ServerEvent.ChatJoined(chat.id(), chat, lastSeq));
        RoomEvent event = new RoomEvent("chat_joined", chat.id(), lastSeq, frame);
        userIds.forEach(userId -> broadcaster.publish(USER_ROOM + userId, event));
    }

    /** Every chat the user takes part in, oldest first. */
    public List<Chat> chats(Principal user) {
        return guarded(() -> chats.chatsOf(user.userId()));
    }

    /**
     * A page of a chat's history, oldest first: after {@code afterSeq} when given, else the newest messages before
     * {@code beforeSeq} (or the newest of all).
     *
     * @param limit at most {@link ChatLimits#maxHistoryPage()}; null for that many
     */
    public List<Message> history(Principal user, String chatId, Long afterSeq, Long beforeSeq, Integer limit) {
        int pageSize = limit == null ? limits.maxHistoryPage() : limit;
        if (pageSize < 1 || pageSize > limits.maxHistoryPage()) {
            throw new ChatException(ErrorCode.INVALID, "limit must be 1 to " + limits.maxHistoryPage());
        }
        if ((afterSeq != null && afterSeq < 0) || (beforeSeq != null && beforeSeq < 0)) {
            throw new ChatException(ErrorCode.INVALID, "seqs are not negative");
        }
        return guarded(() -> {
            requireParticipant(user, chatId);
            return afterSeq != null
                    ? messages.after(chatId, afterSeq, pageSize)
                    : messages.before(chatId, beforeSeq == null ? Long.MAX_VALUE : beforeSeq, pageSize);
        });
    }

    /** Tells the chat that the user has read it up to {@code seq}. Receipts are broadcast, not stored. */
    public void markRead(Principal user, String chatId, long seq) {
        if (seq < 0) {
            throw new ChatException(ErrorCode.INVALID, "seq must not be negative");
        }
        guarded(() -> {
            requireParticipant(user, chatId);
            publishRead(user.userId(), chatId, seq, null);
            return null;
        });
    }

    private void publishRead(String userId, String chatId, long seq, String origin) {
        publish(chatId, new RoomEvent("read", chatId, 0,
                codec.encode(new ServerEvent.Read(chatId, userId, seq)), origin));
    }

    /**
     * Opens an attachment for a participant of its chat.
     *
     * @throws ChatException not found, both when there is no such media and when the user may not see it
     */
    public MediaDownload openMedia(Principal user, String mediaId) {
        return guarded(() -> {
            MediaInfo info = media.find(mediaId)
                    .filter(found -> chats.find(found.chatId()).map(c -> c.hasParticipant(user.userId())).orElse(false))
                    .orElseThrow(() -> new ChatException(ErrorCode.NOT_FOUND, "no such media"));
            InputStream content = media.open(mediaId)
                    .orElseThrow(() -> new ChatException(ErrorCode.NOT_FOUND, "no such media"));
            return new MediaDownload(info, content);
        });
    }

    /**
     * Whether each given user is online. Only users who share a chat with the asking user (and the user itself) are
     * reported as they are; everyone else reads as offline.
     */
    public Map<String, Boolean> presence(Principal user, Collection<String> userIds) {
        if (userIds.size() > MAX_PRESENCE_QUERY) {
            throw new ChatException(ErrorCode.INVALID, "at most " + MAX_PRESENCE_QUERY + " users per query");
        }
        return guarded(() -> {
            Set<String> contacts = new HashSet<>();
            contacts.add(user.userId());
            chats.chatsOf(user.userId()).forEach(chat -> contacts.addAll(chat.participants()));
            List<String> visible = userIds.stream().filter(contacts::contains).toList();
            Map<String, Boolean> online = presence.online(visible);
            Map<String, Boolean> result = new LinkedHashMap<>();
            userIds.forEach(id -> result.put(id, online.getOrDefault(id, false)));
            return result;
        });
    }

    private Chat requireParticipant(Principal user, String chatId) {
        if (chatId == null || chatId.isBlank()) {
            throw new ChatException(ErrorCode.INVALID, "missing chatId");
        }
        return chats.find(chatId).filter(chat -> chat.hasParticipant(user.userId()))
                .orElseThrow(ChatEngine::notParticipant);
    }

    private static ChatException notParticipant() {
        return new ChatException(ErrorCode.FORBIDDEN, "not a participant of this chat");
    }

    /** Runs a request, turning adapter failures into {@link ErrorCode#UNAVAILABLE}: the one place that maps them. */
    private static <T> T guarded(Supplier<T> request) {
        try {
            return request.get();
        } catch (UnavailableException e) {
            log.warn("request failed: {}", e.getMessage(), e.getCause());
            throw new ChatException(ErrorCode.UNAVAILABLE, "service unavailable, retry later", e);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    // ---- Fan-out -------------------------------------------------------------------------------------------------

    private void publish(String chatId, RoomEvent event) {
        broadcaster.publish(CHAT_ROOM + chatId, event);
    }

    private void publishPresence(String userId, Collection<String> chatIds, boolean online) {
        for (String chatId : chatIds) {
            publish(chatId, new RoomEvent("presence", chatId, 0,
                    codec.encode(new ServerEvent.Presence(chatId, userId, online))));
        }
    }

    /**
     * After publishing that a user came online or went offline: if the registry says otherwise by now (a connection
     * of the user opened or closed meanwhile, and its event may have gone out before this one), publish what it says.
     * No lock orders a user's changes with their events, since publishing writes to sockets, and a socket that fails
     * under a write may be released on the writing thread; a few checks settle what interleaves instead.
     */
    private void settlePresence(String userId, List<String> chatIds, boolean published) {
        for (int check = 0; check < PRESENCE_CHECKS; check++) {
            boolean online = isOnline(userId);
            if (online == published) {
                return;
            }
            publishPresence(userId, chatIds, online);
            published = online;
        }
    }

    private boolean isOnline(String userId) {
        return presence.online(List.of(userId)).getOrDefault(userId, false);
    }

    private void announceExpired(Set<String> userIds) {
        for (String userId : userIds) {
            try {
                // A user who came back since the registry decided is online: announcing offline would be a ghost.
                if (isOnline(userId)) {
                    continue;
                }
                List<String> chatIds = chats.chatsOf(userId).stream().map(Chat::id).toList();
                publishPresence(userId, chatIds, false);
                settlePresence(userId, chatIds, false);
            } catch (UnavailableException e) {
                log.warn("could not announce that {} went offline", userId, e);
            }
        }
    }

    /** How many sockets this node holds, authenticated or not. */
    public int connectionCount() {
        return sessions.size();
    }

    /** Routes the events of this node's rooms to their local members. */
    private final class RoomEvents implements LocalRooms.RoomHandler {
        @Override
        public void onEvent(String room, Set<Session> members, RoomEvent event) {
            if (room.startsWith(CHAT_ROOM)) {
                for (Session session : members) {
                    session.deliver(event);
                }
            } else if ("chat_joined".equals(event.type())) {
                List<Session> targets = List.copyOf(members);
                membership.execute(() -> targets.forEach(s -> s.changeMembership(
                        () -> joinChat(s, event.chatId(), event.seq(), event.frame()))));
            } else if ("chat_left".equals(event.type())) {
                List<Session> targets = List.copyOf(members);
                membership.execute(() -> targets.forEach(s -> s.changeMembership(
                        () -> leaveChat(s, event.chatId(), event.frame()))));
            }
        }

        @Override
        public void onGap(String room, Set<Session> members) {
            if (room.startsWith(CHAT_ROOM)) {
                String chatId = room.substring(CHAT_ROOM.length());
                members.forEach(session -> {
                    ChatCursor cursor = session.cursor(chatId);
                    if (cursor != null) {
                        cursor.startCatchUp();
                    }
                });
            } else {
                List<Session> targets = List.copyOf(members);
                membership.execute(() -> targets.forEach(s -> s.changeMembership(() -> resyncMembership(s))));
            }
        }
    }

    private void joinChat(Session session, String chatId, long lastSeq, String frame) {
        ChatCursor cursor = session.addCursor(chatId, lastSeq);
        if (cursor == null || !session.isOpen()) {
            return;
        }
        rooms.join(CHAT_ROOM + chatId, session);
        session.send(frame);
        cursor.announced();
        scheduleCatchUp(cursor);
        if (session.isClosed()) {
            rooms.leave(CHAT_ROOM + chatId, session);
        }
    }

    private void leaveChat(Session session, String chatId, String frame) {
        if (session.removeCursor(chatId) != null) {
            rooms.leave(CHAT_ROOM + chatId, session);
            session.send(frame);
        }
    }

    /** After lost user-room events: joins the chats the user was added to, leaves those it was removed from. */
    private void resyncMembership(Session session) {
        if (!session.isOpen()) {
            return;
        }
        try {
            Map<String, Chat> current = new LinkedHashMap<>();
            chats.chatsOf(session.userId()).forEach(chat -> current.put(chat.id(), chat));
            for (String chatId : session.chatIds()) {
                if (!current.containsKey(chatId)) {
                    leaveChat(session, chatId, codec.encode(new ServerEvent.ChatLeft(chatId)));
                }
            }
            for (Chat chat : current.values()) {
                if (session.cursor(chat.id()) == null) {
                    long lastSeq = messages.lastSeq(chat.id());
                    joinChat(session, chat.id(), lastSeq,
                            codec.encode(new ServerEvent.ChatJoined(chat.id(), chat, lastSeq)));
                }
            }
        } catch (UnavailableException e) {
            log.warn("membership resync failed for connection {}; retrying", session.id(), e);
            timers.schedule(() -> membership.execute(() -> resyncMembership(session)), 1, TimeUnit.SECONDS);
        }
    }

    // ---- Replay --------------------------------------------------------------------------------------------------

    /** Runs a cursor's catch-up on the replay pool. */
    void scheduleCatchUp(ChatCursor cursor) {
        try {
            replays.execute(() -> catchUp(cursor));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("engine closed; catch-up dropped");
        }
    }

    private void catchUp(ChatCursor cursor) {
        Session session = cursor.session();
        try {
            if (cursor.needsBaseline()) {
                cursor.setBaseline(messages.lastSeq(cursor.chatId()));
            }
            while (!session.isClosed() && session.cursor(cursor.chatId()) == cursor) {
                if (!session.outbound().hasRoomForReplay()) {
                    session.outbound().whenDrained(() -> scheduleCatchUp(cursor));
                    return;
                }
                long from = cursor.delivered();
                List<Message> page = messages.after(cursor.chatId(), from, limits.replayPageSize());
                List<ChatCursor.SeqFrame> frames = page.stream()
                        .map(m -> new ChatCursor.SeqFrame(m.seq(), codec.encode(new ServerEvent.NewMessage(m))))
                        .toList();
                if (cursor.step(from, frames, page.size() == limits.replayPageSize())) {
                    return;
                }
                if (page.isEmpty() && from == cursor.delivered()) {
                    // A held event is not visible in the store yet (a replica lagging): look again shortly.
                    timers.schedule(() -> scheduleCatchUp(cursor), 50, TimeUnit.MILLISECONDS);
                    return;
                }
            }
        } catch (UnavailableException e) {
            log.warn("replay of chat {} paused: store unavailable; retrying", cursor.chatId(), e);
            timers.schedule(() -> scheduleCatchUp(cursor), 1, TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            log.error("replay of chat {} failed", cursor.chatId(), e);
            session.close(CloseCodes.SERVER_ERROR, "replay failed");
        }
    }

    /** Closes every socket with {@link CloseCodes#GOING_AWAY} and stops the engine's threads. */
    @Override
    public void close() {
        expiredPresence.close();
        List.copyOf(sessions).forEach(session -> session.close(CloseCodes.GOING_AWAY, "server shutting down"));
        timers.shutdownNow();
        replays.shutdownNow();
        membership.shutdownNow();
        rooms.closeAll();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Configures a {@link ChatEngine}. */
    public static final class Builder {
        private TokenVerifier tokens;
        private MessageStore messages;
        private ChatStore chats;
        private PresenceRegistry presence;
        private RoomBroadcaster broadcaster;
        private MediaStore media;
        private ChatLimits limits = ChatLimits.defaults();
        private Clock clock = Clock.systemUTC();
        private int replayThreads = 2;

        private Builder() {
        }

        /** How tokens are checked; required. */
        public Builder tokenVerifier(TokenVerifier tokens) {
            this.tokens = tokens;
            return this;
        }

        /** Where messages are stored; required. */
        public Builder messageStore(MessageStore messages) {
            this.messages = messages;
            return this;
        }

        /** Where chats are stored; required. */
        public Builder chatStore(ChatStore chats) {
            this.chats = chats;
            return this;
        }

        /** Who is online; required. */
        public Builder presenceRegistry(PresenceRegistry presence) {
            this.presence = presence;
            return this;
        }

        /** How rooms reach other nodes; required. */
        public Builder roomBroadcaster(RoomBroadcaster broadcaster) {
            this.broadcaster = broadcaster;
            return this;
        }

        /** Where attachment bytes are stored; required. */
        public Builder mediaStore(MediaStore media) {
            this.media = media;
            return this;
        }

        /** Uses the in-memory adapters for every store, registry and broadcaster not set yet: one node, no durability. */
        public Builder inMemory() {
            if (messages == null) {
                messages = new dev.chatwire.core.memory.InMemoryMessageStore();
            }
            if (chats == null) {
                chats = new dev.chatwire.core.memory.InMemoryChatStore();
            }
            if (presence == null) {
                presence = new dev.chatwire.core.memory.InMemoryPresenceRegistry();
            }
            if (broadcaster == null) {
                broadcaster = new dev.chatwire.core.memory.InMemoryRoomBroadcaster();
            }
            if (media == null) {
                media = new dev.chatwire.core.memory.InMemoryMediaStore();
            }
            return this;
        }

        /** The limits to enforce; {@link ChatLimits#defaults()} unless set. */
        public Builder limits(ChatLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** The clock for timestamps, token expiry and rate limits; the system UTC clock unless set. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Threads that replay missed messages to resuming connections; 2 unless set. */
        public Builder replayThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("replayThreads must be 1 or more");
            }
            this.replayThreads = threads;
            return this;
        }

        /** Builds the engine. */
        public ChatEngine build() {
            return new ChatEngine(this);
        }
    }
}
