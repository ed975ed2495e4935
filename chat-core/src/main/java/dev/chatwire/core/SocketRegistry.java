package dev.chatwire.core;

import dev.chatwire.core.protocol.ClientCommand;
import dev.chatwire.core.protocol.ServerEvent;
import dev.chatwire.core.spi.Connection;
import dev.chatwire.core.spi.RoomEvent;
import dev.chatwire.core.spi.UnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static dev.chatwire.core.RequestFailures.guarded;

/** This node's sockets: opening, admission into rooms and presence, their commands, and release when they close. */
final class SocketRegistry {

    private static final Logger log = LoggerFactory.getLogger(SocketRegistry.class);

    private final EngineParts parts;
    private final LocalRooms rooms;
    private final PresenceAnnouncer presence;
    private final Replays replays;
    private final TimelinePublisher timeline;
    private final ChatRequests requests;
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();

    SocketRegistry(EngineParts parts, LocalRooms rooms, PresenceAnnouncer presence, Replays replays,
                   TimelinePublisher timeline, ChatRequests requests) {
        this.parts = parts;
        this.rooms = rooms;
        this.presence = presence;
        this.replays = replays;
        this.timeline = timeline;
        this.requests = requests;
    }

    /** Takes a new socket and arms its connect deadline. */
    Session open(ChatEngine engine, Connection connection) {
        Session session = new Session(UUID.randomUUID().toString(), engine, Objects.requireNonNull(connection));
        sessions.add(session);
        EngineLog.connection(session.id(), null, "opened");
        session.awaitConnect(parts.limits().connectTimeout());
        return session;
    }

    /** Joins an authenticated session to its rooms and sends {@code connected}; called once per session. */
    void admit(Session session, Map<String, Long> resume) {
        String userId = session.userId();
        try {
            if (!rooms.joinIfFewerThan(LocalRooms.userRoom(userId), session,
                    parts.limits().maxConnectionsPerUser())) {
                parts.metrics().report().refused(ChatMetrics.Refusal.TOO_MANY_CONNECTIONS);
                session.close(CloseCodes.TOO_MANY_CONNECTIONS, "too many connections for this user");
                return;
            }
            List<String> chatIds = new ArrayList<>();
            for (Chat chat : parts.chats().chatsOf(userId)) {
                chatIds.add(chat.id());
                session.addCursor(chat.id(), resume.getOrDefault(chat.id(), ChatCursor.UNKNOWN));
                rooms.join(LocalRooms.chatRoom(chat.id()), session);
            }
            Map<String, Long> seqs = new LinkedHashMap<>();
            for (String chatId : chatIds) {
                seqs.put(chatId, parts.messages().lastSeq(chatId));
            }
            // Online before connected: a client told it is connected shows as online, and a presence outage refuses
            // the socket before it is told anything. Its own cursors hold the event until connected has gone out.
            presence.connected(userId, session.id(), chatIds);
            session.send(new ServerEvent.Connected(userId, session.id(), chatIds, seqs));
            for (ChatCursor cursor : session.cursors()) {
                cursor.announced();
                replays.start(cursor, seqs.getOrDefault(cursor.chatId(), 0L));
            }
            session.told();
            parts.metrics().report().admitted();
            EngineLog.connection(session.id(), userId, "admitted");
        } catch (UnavailableException e) {
            log.warn("could not admit connection {}", session.id(), e);
            parts.metrics().report().refused(ChatMetrics.Refusal.UNAVAILABLE);
            session.close(CloseCodes.TRY_AGAIN_LATER, "service unavailable");
            return;
        }
        if (session.isClosed()) {
            release(session);
        }
    }

    /** Forgets a session that closed before it was admitted. */
    void forget(Session session) {
        sessions.remove(session);
        EngineLog.connection(session.id(), null, "closed before admission");
    }

    /** Leaves every room and reports the user offline when this was its last connection. */
    void release(Session session) {
        sessions.remove(session);
        String userId = session.userId();
        EngineLog.connection(session.id(), userId, "closed");
        List<String> chatIds = session.chatIds();
        rooms.leave(LocalRooms.userRoom(userId), session);
        for (String chatId : chatIds) {
            rooms.leave(LocalRooms.chatRoom(chatId), session);
        }
        presence.released(userId, session.id(), chatIds);
    }

    /** Runs a command of an authenticated session. */
    void handle(Session session, ClientCommand command) {
        Principal principal = session.principal().orElseThrow();
        guarded(() -> {
            if (command instanceof ClientCommand.Send send) {
                requests.sendText(principal, send.chatId(), send.text(), send.clientMessageId(),
                        json -> session.send(parts.codec().ackFrame(send.clientMessageId(), json)));
            } else if (command instanceof ClientCommand.Typing typing) {
                requireJoined(session, typing.chatId());
                timeline.publish(typing.chatId(), new RoomEvent("typing", typing.chatId(), 0, parts.codec().encode(
                        new ServerEvent.Typing(typing.chatId(), principal.userId(), typing.active())), session.id()));
            } else if (command instanceof ClientCommand.Read read) {
                requireJoined(session, read.chatId());
                timeline.publishRead(principal.userId(), read.chatId(), read.seq(), session.id());
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
            throw RequestFailures.notParticipant();
        }
    }

    /** How many sockets this node holds, authenticated or not. */
    int count() {
        return sessions.size();
    }

    /** Characters queued for this node's sockets and not yet written; for the outbound gauge. */
    long queuedChars() {
        long total = 0;
        for (Session session : sessions) {
            total += session.outbound().queuedChars();
        }
        return total;
    }

    /** Closes every socket with {@link CloseCodes#GOING_AWAY}. */
    void closeAll() {
        List.copyOf(sessions).forEach(session -> session.close(CloseCodes.GOING_AWAY, "server shutting down"));
    }
}
