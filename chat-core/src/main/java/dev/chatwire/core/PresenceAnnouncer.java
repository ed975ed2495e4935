package dev.chatwire.core;

import dev.chatwire.core.protocol.ServerEvent;
import dev.chatwire.core.spi.RoomEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/** Registers connections in presence and tells the chats a user shares when the user comes online or goes offline. */
final class PresenceAnnouncer {

    private static final Logger log = LoggerFactory.getLogger(PresenceAnnouncer.class);
    /** How often a presence event is checked against the registry and corrected, at most. */
    private static final int PRESENCE_CHECKS = 3;
    /** Attempts at presence work of a socket that is gone; the registry's expiry heals what they could not. */
    private static final int PRESENCE_WORK_ATTEMPTS = 5;

    private final EngineParts parts;
    private final TimelinePublisher timeline;

    PresenceAnnouncer(EngineParts parts, TimelinePublisher timeline) {
        this.parts = parts;
        this.timeline = timeline;
    }

    /**
     * Registers an admitted connection; tells the chats the user accepted if it just came online. Blocks on the
     * registry.
     */
    void connected(String userId, String connectionId, List<String> chatIds) {
        if (parts.presence().connect(userId, connectionId)) {
            publish(userId, chatIds, true);
            settle(userId, chatIds, true);
        }
    }

    /**
     * Releases a closed connection on the executor, and tells the chats the user accepted if it was the user's last
     * one.
     */
    void released(String userId, String connectionId) {
        // Off the closing thread, which may be the timer or a transport's I/O thread: the registry is a network call.
        // A retry after the store failed must still announce: the registry would not say "last" a second time.
        AtomicBoolean wasLast = new AtomicBoolean();
        parts.retries().run("presence release of connection " + connectionId, PRESENCE_WORK_ATTEMPTS, () -> {
            if (wasLast.get() || parts.presence().disconnect(userId, connectionId)) {
                wasLast.set(true);
                List<String> chatIds = chatsShowingPresence(userId);
                publish(userId, chatIds, false);
                settle(userId, chatIds, false);
            }
        }, failure -> log.warn("presence of closed connection {} is left to expire with this node's heartbeat",
                connectionId));
    }

    /** Runs on the registry's thread, which must not block: the announcements go to the executor. */
    void expired(Set<String> userIds) {
        for (String userId : userIds) {
            parts.retries().run("announcing that " + userId + " went offline", PRESENCE_WORK_ATTEMPTS, () -> {
                // A user who came back since the registry decided is online: announcing offline would be a ghost.
                if (isOnline(userId)) {
                    return;
                }
                List<String> chatIds = chatsShowingPresence(userId);
                publish(userId, chatIds, false);
                settle(userId, chatIds, false);
            }, failure -> log.warn("users sharing a chat with {} were not told it went offline", userId));
        }
    }

    /** The chats whose members may see the user's presence: those it accepted. */
    private List<String> chatsShowingPresence(String userId) {
        return parts.chats().chatsOf(userId).stream().filter(chat -> chat.hasAccepted(userId)).map(Chat::id).toList();
    }

    private void publish(String userId, Collection<String> chatIds, boolean online) {
        for (String chatId : chatIds) {
            timeline.publish(chatId, new RoomEvent("presence", chatId, 0,
                    parts.codec().encode(new ServerEvent.Presence(chatId, userId, online))));
        }
    }

    /**
     * After publishing that a user came online or went offline: if the registry says otherwise by now (a connection
     * of the user opened or closed meanwhile, and its event may have gone out before this one), publish what it says.
     * No lock orders a user's changes with their events, since publishing writes to sockets, and a socket that fails
     * under a write may be released on the writing thread; a few checks settle what interleaves instead.
     */
    private void settle(String userId, List<String> chatIds, boolean published) {
        for (int check = 0; check < PRESENCE_CHECKS; check++) {
            boolean online = isOnline(userId);
            if (online == published) {
                return;
            }
            publish(userId, chatIds, online);
            published = online;
        }
    }

    private boolean isOnline(String userId) {
        return parts.presence().online(List.of(userId)).getOrDefault(userId, false);
    }
}
