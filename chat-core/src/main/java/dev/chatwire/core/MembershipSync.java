package dev.chatwire.core;

import dev.chatwire.core.protocol.ProtocolException;
import dev.chatwire.core.protocol.ServerEvent;
import dev.chatwire.core.spi.RoomEvent;
import dev.chatwire.core.spi.UnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Routes this node's room events to their local members: a chat's events to its members' cursors, and a user's
 * membership changes ({@code chat_joined}, {@code chat_left}, or a resync after a broadcaster lost events) to the
 * user's sockets, which join or leave the chat's room. Membership changes apply one at a time, in the order they came.
 */
final class MembershipSync implements LocalRooms.RoomHandler {

    private static final Logger log = LoggerFactory.getLogger(MembershipSync.class);
    /** Failed resyncs in a row after which the socket is closed, so that its client reconnects. */
    private static final int ATTEMPTS = 8;

    private final EngineParts parts;
    private final Replays replays;
    private final Executor changes;
    private final LocalRooms rooms;
    private final ChatStates states;

    MembershipSync(EngineParts parts, Replays replays, ChatStates states) {
        this.states = states;
        this.parts = parts;
        this.replays = replays;
        this.changes = new SerialExecutor(parts.work());
        this.rooms = new LocalRooms(parts.broadcaster(), this);
    }

    /** This node's rooms, whose events come here. */
    LocalRooms rooms() {
        return rooms;
    }

    /**
     * Cuts a removed user's connections on this node off from a chat before the removal is announced: none of them
     * sends anything more of the chat once this returns. Takes no lock but each cursor's own, briefly; the
     * {@code chat_left} that follows drops the cut cursors and tells the clients.
     */
    void cutLocally(String userId, String chatId) {
        rooms.members(LocalRooms.userRoom(userId)).forEach(session -> session.chats().cut(chatId));
    }

    /**
     * The chat as a connection of the user on this node holds it, for a check of membership without a store call:
     * present while one of them is in the chat and the user has consented to it (see {@link ChatCursor#memberChat()}).
     */
    Optional<Chat> knownChat(String userId, String chatId) {
        for (Session session : rooms.members(LocalRooms.userRoom(userId))) {
            ChatCursor cursor = session.chats().cursor(chatId);
            Chat chat = cursor == null ? null : cursor.memberChat();
            if (chat != null) {
                return Optional.of(chat);
            }
        }
        return Optional.empty();
    }

    /** Hands a chat just read from the store to the user's connections here, in place of what they held. */
    void remember(String userId, Chat chat) {
        for (Session session : rooms.members(LocalRooms.userRoom(userId))) {
            ChatCursor cursor = session.chats().cursor(chat.id());
            if (cursor != null) {
                cursor.know(chat);
            }
        }
    }

    @Override
    public void onEvent(String room, Set<Session> members, RoomEvent event) {
        if (LocalRooms.isChatRoom(room)) {
            for (Session session : members) {
                session.deliver(event);
            }
        } else if ("chat_joined".equals(event.type())) {
            List<Session> targets = List.copyOf(members);
            long hidden = hiddenThrough(event);
            changes.execute(() -> targets.forEach(s -> s.chats().changeMembership(
                    () -> joinChat(s, event.chatId(), event.seq(), hidden, event.frame()))));
        } else if ("chat_left".equals(event.type())) {
            // Settled by what the store says, not by the event alone: a removal and a re-adding of the same user made
            // at once can reach this node as chat_joined before chat_left, or leave the re-added user's cursors at
            // the removal's seq; the store has the last word, and a still-member's chat is joined afresh.
            members.forEach(this::resyncLater);
        }
    }

    /**
     * Reads the chats of a connection's user from the store and joins or leaves what changed, after the membership
     * changes already queued. A cursor that met its user's removal in the timeline asks for this too: a re-adding
     * made at the same moment as the removal leaves the user a member whose new join the removal's seq hides.
     */
    void resyncLater(Session session) {
        changes.execute(() -> session.chats().changeMembership(() -> resync(session, 1)));
    }

    @Override
    public void onGap(String room, Set<Session> members) {
        if (LocalRooms.isChatRoom(room)) {
            String chatId = LocalRooms.chatIdOf(room);
            members.forEach(session -> {
                ChatCursor cursor = session.chats().cursor(chatId);
                if (cursor != null && cursor.startCatchUp()) {
                    replays.schedule(cursor);
                }
            });
        } else {
            List<Session> targets = List.copyOf(members);
            changes.execute(() -> targets.forEach(s -> s.chats().changeMembership(() -> resync(s, 1))));
        }
    }

    /**
     * How much of the chat a {@code chat_joined} event's user may not see, as the event itself says: the node that
     * added the user read the chat and the host's policy, and this node need not read them again.
     */
    private long hiddenThrough(RoomEvent event) {
        try {
            return parts.codec().decodeEvent(event.frame()) instanceof ServerEvent.ChatJoined joined
                    ? joined.historyAfter() : event.seq();
        } catch (ProtocolException e) {
            // Not a frame of this engine's: hide what came before the joining rather than guess.
            log.warn("unreadable chat_joined of chat {}; showing only what follows it", event.chatId(), e);
            return event.seq();
        }
    }

    private void joinChat(Session session, String chatId, long lastSeq, long hiddenThrough, String frame) {
        ChatCursor cursor = session.chats().addCursor(chatId, lastSeq);
        if (cursor == null || !session.isOpen()) {
            return;
        }
        // The chat's newest seq read before the user was added (chat_joined), or since (a resync): no removal of the
        // user lies between its joining and this seq, since the user takes part now.
        cursor.joinedAt(lastSeq, hiddenThrough);
        rooms.join(LocalRooms.chatRoom(chatId), session);
        session.send(frame);
        cursor.announced();
        replays.schedule(cursor);
        if (session.isClosed()) {
            rooms.leave(LocalRooms.chatRoom(chatId), session);
        }
    }

    private void leaveChat(Session session, String chatId, String frame) {
        ChatCursor cursor = session.chats().removeCursor(chatId);
        if (cursor != null) {
            cursor.cut();
            rooms.leave(LocalRooms.chatRoom(chatId), session);
            if (cursor.wasAnnounced()) {
                session.send(frame);
            }
        }
    }

    /** After lost user-room events: joins the chats the user was added to, leaves those it was removed from. */
    private void resync(Session session, int attempt) {
        if (!session.isOpen()) {
            return;
        }
        try {
            // A cursor cut before the store is read reflects a removal the read sees; one cut after it is for a
            // removal the read may have missed, and its chat_left is on the way: that one is left as it is.
            Set<String> cutBeforeRead = new HashSet<>();
            session.chats().cursorChatIds().forEach(chatId -> {
                ChatCursor cursor = session.chats().cursor(chatId);
                if (cursor != null && cursor.isCut()) {
                    cutBeforeRead.add(chatId);
                }
            });
            Map<String, Chat> current = new LinkedHashMap<>();
            parts.chats().chatsOf(session.userId()).forEach(chat -> current.put(chat.id(), chat));
            for (String chatId : session.chats().cursorChatIds()) {
                ChatCursor cursor = session.chats().cursor(chatId);
                boolean live = cursor != null && !cursor.isCut();
                if ((live && !current.containsKey(chatId)) || cutBeforeRead.contains(chatId)) {
                    leaveChat(session, chatId, parts.codec().encode(new ServerEvent.ChatLeft(chatId)));
                }
            }
            List<Chat> added = current.values().stream().filter(chat -> session.chats().cursor(chat.id()) == null)
                    .toList();
            ChatStates.States addedStates = added.isEmpty() ? null : states.of(session.userId(), added);
            for (Chat chat : added) {
                long lastSeq = addedStates.lastSeqs().get(chat.id());
                long hidden = HistoryVisibility.hiddenThrough(parts.policy(), chat, session.userId());
                joinChat(session, chat.id(), lastSeq, hidden,
                        parts.codec().encode(addedStates.joined(chat, lastSeq, hidden)));
            }
        } catch (UnavailableException e) {
            if (attempt >= ATTEMPTS) {
                log.warn("membership resync failed {} times for connection {}; closing it", attempt, session.id(), e);
                session.close(CloseCodes.TRY_AGAIN_LATER, "service unavailable");
                return;
            }
            log.warn("membership resync failed for connection {}; retrying", session.id(), e);
            parts.timers().schedule(() -> changes.execute(() -> resync(session, attempt + 1)),
                    Retries.delayAfter(attempt).toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
