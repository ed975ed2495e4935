package dev.chatwire.core;

import dev.chatwire.core.protocol.ServerEvent;
import dev.chatwire.core.spi.TokenVerification;
import dev.chatwire.core.spi.TokenVerifier;
import dev.chatwire.core.spi.UnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Admits a socket that presented its token, as one task on the engine's executor, never on the transport's thread:
 * checks the token, joins the user's room (within the per-user cap) and the rooms of its chats, reads the chats' last
 * seqs with one store call and their read state, unread counts and who is online with one call each
 * ({@link ChatStates}), registers presence, sends {@code connected} and starts the replays; then the frames the socket
 * sent meanwhile run, in order ({@link Session#admissionEnded}).
 *
 * <p>Each outcome closes the socket with the code {@code docs/protocol.md} gives it: 4401 for a refused token, 4429
 * over the per-user cap, 1013 when a backend is unavailable, 1011 for anything unexpected, 1001 once the engine is
 * closed. The transport's thread only hands the task over, so a slow backend costs the node an executor thread per
 * socket being admitted, and its container threads stay free to read other sockets' frames and serve REST.
 */
final class Admission {

    private static final Logger log = LoggerFactory.getLogger(Admission.class);

    private final EngineParts parts;
    private final LocalRooms rooms;
    private final PresenceAnnouncer presence;
    private final Replays replays;
    private final ChatStates states;
    private final Consumer<Session> release;
    private final Consumer<Session> authenticated;
    private final Pattern userIds;

    /**
     * @param release leaves the rooms of a session that closed while it was being admitted, and releases its
     *                presence: what the session's own release could not see yet when it ran
     * @param authenticated told once of a session whose token was accepted, before it joins anything
     */
    Admission(EngineParts parts, LocalRooms rooms, PresenceAnnouncer presence, Replays replays, ChatStates states,
              Consumer<Session> release, Consumer<Session> authenticated) {
        this.authenticated = authenticated;
        this.states = states;
        this.parts = parts;
        this.rooms = rooms;
        this.presence = presence;
        this.replays = replays;
        this.release = release;
        this.userIds = Pattern.compile(parts.limits().userIdPattern());
    }

    /**
     * Checks a token for the engine: a verifier's acceptance of a subject that is no valid user id is a refusal,
     * checked here rather than in each verifier, so that a host's own verifier cannot let such an id in.
     *
     * @throws UnavailableException if the verifier cannot answer
     */
    static TokenVerification check(TokenVerifier tokens, Function<String, Optional<String>> userIdProblem,
                                   String token) {
        TokenVerification verification = tokens.verify(token);
        if (verification instanceof TokenVerification.Accepted accepted) {
            Optional<String> badSubject = userIdProblem.apply(accepted.principal().userId());
            if (badSubject.isPresent()) {
                return TokenVerification.refused(badSubject.get());
            }
        }
        return verification;
    }

    /** Starts admitting a session that is {@linkplain Session#startAdmission() admitting}; returns at once. */
    void start(Session session, String token, Map<String, Long> resume) {
        try {
            parts.work().execute(() -> admit(session, token, resume));
        } catch (RejectedExecutionException engineClosed) {
            session.close(CloseCodes.GOING_AWAY, "server shutting down");
            session.admissionEnded();
        }
    }

    private void admit(Session session, String token, Map<String, Long> resume) {
        boolean accepted = false;
        try {
            Optional<Principal> verified = verify(session, token);
            accepted = verified.isPresent() && session.accept(verified.get());
            if (accepted) {
                authenticated.accept(session);
                joinAndAnnounce(session, resume);
            }
        } catch (RuntimeException e) {
            log.error("admission of connection {} failed", session.id(), e);
            session.close(CloseCodes.SERVER_ERROR, "internal error");
        } finally {
            // A socket that closed meanwhile released what it held then, before admission joined it to its rooms:
            // leave them now, however admission ended, or the dead socket counts against the user's cap for good.
            if (accepted && session.isClosed()) {
                release.accept(session);
            }
            session.admissionEnded();
        }
    }

    /** The token's principal; or empty, the socket closed, when it is refused or cannot be checked. */
    private Optional<Principal> verify(Session session, String token) {
        TokenVerification verification;
        try {
            verification = parts.tokens().verify(token);
        } catch (UnavailableException e) {
            log.warn("token verifier unavailable for connection {}", session.id(), e);
            parts.metrics().report().refused(ChatMetrics.Refusal.VERIFIER_UNAVAILABLE);
            session.close(CloseCodes.TRY_AGAIN_LATER, "token verifier unavailable");
            return Optional.empty();
        }
        if (verification instanceof TokenVerification.Refused refused) {
            session.tokenRefused(refused.reason(), ChatMetrics.Refusal.TOKEN_REFUSED);
            session.close(CloseCodes.UNAUTHORIZED, "token refused: " + refused.reason());
            return Optional.empty();
        }
        Principal principal = ((TokenVerification.Accepted) verification).principal();
        Optional<String> badSubject = InputRules.userIdProblem(principal.userId(), userIds);
        if (badSubject.isPresent()) {
            // Checked here rather than in each verifier, so that a host's own verifier cannot let such an id in.
            session.tokenRefused(badSubject.get(), ChatMetrics.Refusal.INVALID_USER);
            session.close(CloseCodes.UNAUTHORIZED, "token refused: " + badSubject.get());
            return Optional.empty();
        }
        return Optional.of(principal);
    }

    /** Whether the session got through to {@code connected}; if not, it is closed. */
    private boolean joinAndAnnounce(Session session, Map<String, Long> resume) {
        String userId = session.userId();
        try {
            if (!rooms.joinIfFewerThan(LocalRooms.userRoom(userId), session,
                    parts.limits().maxConnectionsPerUser())) {
                parts.metrics().report().refused(ChatMetrics.Refusal.TOO_MANY_CONNECTIONS);
                session.close(CloseCodes.TOO_MANY_CONNECTIONS, "too many connections for this user");
                return false;
            }
            List<String> chatIds = new ArrayList<>();
            List<Chat> joined = new ArrayList<>();
            List<String> showingPresence = new ArrayList<>();
            List<ChatCursor> added = new ArrayList<>();
            Map<String, Long> historyAfter = new LinkedHashMap<>();
            for (Chat chat : parts.chats().chatsOf(userId)) {
                ChatCursor cursor = session.chats().addCursor(chat.id(),
                        resume.getOrDefault(chat.id(), ChatCursor.UNKNOWN));
                if (cursor == null) {
                    // Cut already: the user was removed from it after the store was read.
                    continue;
                }
                cursor.know(chat);
                long hidden = HistoryVisibility.hiddenThrough(parts.policy(), chat, userId);
                cursor.joinedAt(chat.joinSeqOf(userId), hidden);
                if (hidden > 0) {
                    historyAfter.put(chat.id(), hidden);
                }
                chatIds.add(chat.id());
                joined.add(chat);
                if (chat.hasAccepted(userId)) {
                    showingPresence.add(chat.id());
                }
                added.add(cursor);
                rooms.join(LocalRooms.chatRoom(chat.id()), session);
            }
            ChatStates.States chatStates = states.of(userId, joined);
            Map<String, Long> seqs = chatStates.lastSeqs();
            // Online before connected: a client told it is connected shows as online, and a presence outage refuses
            // the socket before it is told anything. Its own cursors hold the event until connected has gone out.
            presence.connected(userId, session.id(), showingPresence);
            session.send(new ServerEvent.Connected(userId, session.id(), chatIds, seqs, chatStates.lastRead(),
                    chatStates.unread(), chatStates.readBy(), chatStates.online(), historyAfter));
            for (ChatCursor cursor : added) {
                cursor.announced();
                replays.start(cursor, seqs.getOrDefault(cursor.chatId(), 0L));
            }
            session.chats().told();
            parts.metrics().report().admitted();
            EngineLog.connection(session.id(), userId, "admitted");
            return true;
        } catch (UnavailableException e) {
            log.warn("could not admit connection {}", session.id(), e);
            parts.metrics().report().refused(ChatMetrics.Refusal.UNAVAILABLE);
            session.close(CloseCodes.TRY_AGAIN_LATER, "service unavailable");
            return false;
        }
    }
}
