package dev.chatwire.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The chats one connection is in: a cursor per chat, and the membership changes ({@code chat_joined},
 * {@code chat_left}) that wait until the client has been told {@code connected}, since no frame may come before it.
 */
final class SessionChats {

    private final Session session;
    private final int maxPendingEvents;
    private final Map<String, ChatCursor> cursors = new ConcurrentHashMap<>(4);
    /** Whether {@code connected} has gone out; until then membership changes wait (guarded by this). */
    private boolean told;
    private List<Runnable> waiting;

    SessionChats(Session session, int maxPendingEvents) {
        this.session = session;
        this.maxPendingEvents = maxPendingEvents;
    }

    ChatCursor cursor(String chatId) {
        return cursors.get(chatId);
    }

    /** The chats this connection has a cursor of, cut or not: the chat rooms it is a member of. */
    List<String> cursorChatIds() {
        return List.copyOf(cursors.keySet());
    }

    /** Creates the cursor for a chat unless there is one; returns the new cursor, or null. */
    ChatCursor addCursor(String chatId, long resumeFrom) {
        ChatCursor created = new ChatCursor(chatId, session, resumeFrom, maxPendingEvents);
        return cursors.putIfAbsent(chatId, created) == null ? created : null;
    }

    ChatCursor removeCursor(String chatId) {
        return cursors.remove(chatId);
    }

    /**
     * The user was removed from a chat: this connection sends nothing more of it from the moment this returns. The
     * cursor stays, cut, until {@code chat_left} drops it; if there is none yet (a {@code chat_joined} still on its
     * way), a cut one takes its place, so that the join finds it and does not happen.
     */
    void cut(String chatId) {
        cursors.computeIfAbsent(chatId, id -> new ChatCursor(id, session, ChatCursor.UNKNOWN, maxPendingEvents)).cut();
    }

    /**
     * Runs a change of the chats this connection is in (a {@code chat_joined} or {@code chat_left}) now, or, before
     * the client has been told {@code connected}, right after it is.
     */
    void changeMembership(Runnable change) {
        synchronized (this) {
            if (!told) {
                if (waiting == null) {
                    waiting = new ArrayList<>();
                }
                waiting.add(change);
                return;
            }
        }
        change.run();
    }

    /**
     * The client has been sent {@code connected}: membership changes that came meanwhile run now, in order, and any
     * that come while they run wait for them.
     */
    void told() {
        while (true) {
            List<Runnable> changes;
            synchronized (this) {
                changes = waiting;
                waiting = null;
                if (changes == null) {
                    told = true;
                    return;
                }
            }
            changes.forEach(Runnable::run);
        }
    }
}
