package dev.chatwire.core;

import dev.chatwire.core.protocol.ClientCommand;
import dev.chatwire.core.protocol.ServerEvent;
import dev.chatwire.core.spi.Connection;
import dev.chatwire.core.spi.RoomEvent;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static dev.chatwire.core.RequestFailures.guarded;

/**
 * This node's sockets: opening, handing them to {@link Admission}, their commands, and release when they close.
 *
 * <p>A socket holds a place among the {@link UnauthenticatedSockets} from opening until its token is accepted or it
 * closes (the connect timeout closes it too); the place is given back by whichever comes first, once, as it leaves
 * {@link #awaitingToken}.
 */
final class SocketRegistry {

    private final EngineParts parts;
    private final LocalRooms rooms;
    private final PresenceAnnouncer presence;
    private final Admission admission;
    private final TimelinePublisher timeline;
    private final ChatRequests requests;
    private final MessageChanges changes;
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final UnauthenticatedSockets unauthenticated;
    /** The sockets holding a place among the unauthenticated, with the address key they count under. */
    private final Map<Session, Optional<String>> awaitingToken = new ConcurrentHashMap<>();

    SocketRegistry(EngineParts parts, LocalRooms rooms, PresenceAnnouncer presence, Replays replays,
                   TimelinePublisher timeline, ChatRequests requests, MessageChanges changes, ChatStates states) {
        this.parts = parts;
        this.rooms = rooms;
        this.presence = presence;
        this.admission = new Admission(parts, rooms, presence, replays, states, this::release, this::authenticated);
        this.unauthenticated = new UnauthenticatedSockets(parts.limits().maxUnauthenticatedPerAddress(),
                parts.limits().maxUnauthenticated());
        this.timeline = timeline;
        this.requests = requests;
        this.changes = changes;
    }

    /**
     * Takes a new socket and arms its connect deadline; a socket over a cap of {@link UnauthenticatedSockets} is
     * closed at once with {@link CloseCodes#TRY_AGAIN_LATER}.
     */
    Session open(ChatEngine engine, Connection connection) {
        Session session = new Session(UUID.randomUUID().toString(), engine, Objects.requireNonNull(connection));
        Optional<String> addressKey = UnauthenticatedSockets.addressKey(connection.peerAddress());
        Optional<UnauthenticatedSockets.Refusal> refusal = unauthenticated.take(addressKey);
        if (refusal.isPresent()) {
            parts.metrics().report().refused(ChatMetrics.Refusal.TOO_MANY_UNAUTHENTICATED);
            EngineLog.connection(session.id(), null, "refused: " + refusal.get());
            session.close(CloseCodes.TRY_AGAIN_LATER, refusal.get() == UnauthenticatedSockets.Refusal.ADDRESS_FULL
                    ? "too many unauthenticated sockets from this address" : "too many unauthenticated sockets");
            return session;
        }
        awaitingToken.put(session, addressKey);
        sessions.add(session);
        EngineLog.connection(session.id(), null, "opened");
        session.awaitConnect(parts.limits().connectTimeout());
        return session;
    }

    /** The session's token was accepted: it no longer counts as unauthenticated. */
    private void authenticated(Session session) {
        giveBackPlace(session);
    }

    private void giveBackPlace(Session session) {
        Optional<String> addressKey = awaitingToken.remove(session);
        if (addressKey != null) {
            unauthenticated.giveBack(addressKey);
        }
    }

    /** Checks a session's first token and admits it on the executor; returns at once. Called once per session. */
    void admit(Session session, String token, Map<String, Long> resume) {
        admission.start(session, token, resume);
    }

    /** Forgets a session that closed before it was admitted. */
    void forget(Session session) {
        giveBackPlace(session);
        sessions.remove(session);
        EngineLog.connection(session.id(), null, "closed before admission");
    }

    /** Leaves every room and reports the user offline when this was its last connection. */
    void release(Session session) {
        sessions.remove(session);
        String userId = session.userId();
        EngineLog.connection(session.id(), userId, "closed");
        rooms.leave(LocalRooms.userRoom(userId), session);
        for (String chatId : session.chats().cursorChatIds()) {
            rooms.leave(LocalRooms.chatRoom(chatId), session);
        }
        presence.released(userId, session.id());
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
                ChatCursor cursor = requireJoined(session, read.chatId());
                if (cursor.needsConsent()) {
                    requests.accept(principal, read.chatId());
                    // Only once it is stored: a failed accept is tried again on the next read receipt.
                    cursor.consentRecorded();
                }
                requests.markReadOnSocket(principal, read.chatId(), read.seq(), cursor.delivered(), session.id());
            } else if (command instanceof ClientCommand.Edit edit) {
                acknowledge(session, edit.clientMessageId(),
                        changes.edit(principal, edit.chatId(), edit.messageId(), edit.text()));
            } else if (command instanceof ClientCommand.Delete delete) {
                acknowledge(session, delete.clientMessageId(),
                        changes.delete(principal, delete.chatId(), delete.messageId()));
            } else if (command instanceof ClientCommand.React react) {
                acknowledge(session, react.clientMessageId(), changes.react(principal, react.chatId(),
                        react.messageId(), react.emoji(), react.active()));
            } else if (command instanceof ClientCommand.Connect connect) {
                session.authenticate(connect.token(), connect.resume());
            } else if (command instanceof ClientCommand.Auth auth) {
                session.authenticate(auth.token(), null);
            }
            return null;
        });
    }

    /** Answers a change like a send: an {@code ack} with the message's new state. */
    private void acknowledge(Session session, String clientMessageId, TimelineEntry change) {
        session.send(parts.codec().ackFrame(clientMessageId, parts.codec().encodeMessage(change.message())));
    }

    private static ChatCursor requireJoined(Session session, String chatId) {
        ChatCursor cursor = session.chats().cursor(chatId);
        if (cursor == null || cursor.isCut()) {
            throw RequestFailures.notParticipant();
        }
        return cursor;
    }

    /** How many sockets this node holds, authenticated or not. */
    /** The gauges a host's metrics read: sockets open and characters queued to them. */
    ChatMetrics.Gauges gauges() {
        return new ChatMetrics.Gauges() {
            @Override
            public int connections() {
                return count();
            }

            @Override
            public long outboundQueuedChars() {
                return queuedChars();
            }
        };
    }

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
