package dev.chatwire.core;

import dev.chatwire.core.protocol.ServerEvent;
import dev.chatwire.core.spi.MessageStore.Appended;
import dev.chatwire.core.spi.RoomEvent;
import dev.chatwire.core.spi.TimelineListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Stores messages through the chat's group commit and broadcasts what goes to a chat's room; tells the host's
 * {@link TimelineListener} of each stored entry.
 */
final class TimelinePublisher {

    private static final Logger log = LoggerFactory.getLogger(TimelinePublisher.class);

    /** The most messages of one chat stored in one call: enough to drain a burst, small enough for one insert. */
    private static final int MAX_APPEND_BATCH = 100;

    private final EngineParts parts;
    private final AppendPipeline appends;
    private final ActivityRecorder activity;

    TimelinePublisher(EngineParts parts) {
        this.parts = parts;
        this.activity = new ActivityRecorder(parts);
        this.appends = new AppendPipeline(parts.messages(), this::publishStored, MAX_APPEND_BATCH);
    }

    /**
     * Stores a draft in its chat's next group commit, then broadcasts it (see {@link AppendPipeline}): this node
     * publishes a chat's messages in seq order, and the cursors repair any order the nodes disagree on.
     */
    Appended append(MessageDraft draft, Consumer<String> onStored) {
        return appends.append(draft, onStored);
    }

    /** Broadcasts a stored change to a message as {@code message_updated}, at the change's own seq. */
    void publishChange(TimelineEntry change, String actor) {
        String frame = parts.codec().encode(new ServerEvent.MessageUpdated(change.message().chatId(), change.seq(),
                change.message()));
        publish(change.message().chatId(), new RoomEvent("message_updated", change.message().chatId(), change.seq(),
                frame));
        heard(change, actor);
    }

    /** Broadcasts an event to every connection of a chat, on every node. */
    void publish(String chatId, RoomEvent event) {
        parts.broadcaster().publish(LocalRooms.chatRoom(chatId), event);
    }

    /** Broadcasts that a user read a chat up to {@code seq}; {@code origin} is the reading connection, or null. */
    void publishRead(String userId, String chatId, long seq, String origin) {
        publish(chatId, new RoomEvent("read", chatId, 0,
                parts.codec().encode(new ServerEvent.Read(chatId, userId, seq)), origin));
    }

    /**
     * Broadcasts a stored message. A retry that found the message already stored broadcasts it again: the first try
     * may have failed after the store accepted it (a lost reply) and before anyone was told. Connections that already
     * have it drop the repeat, since their cursors are past its seq.
     */
    private void publishStored(Appended appended, Consumer<String> onStored) {
        Message message = appended.message();
        String messageJson = parts.codec().encodeMessage(message);
        onStored.accept(messageJson);
        String frame = parts.codec().newMessageFrame(messageJson);
        parts.metrics().stored(frame, appended.created());
        publish(message.chatId(), new RoomEvent("new_message", message.chatId(), message.seq(), frame));
        if (appended.created()) {
            activity.stored(message.chatId(), message.createdAt());
            heard(new TimelineEntry(message.seq(), message), message.senderId());
        }
    }

    /**
     * Tells the listener of a stored entry on the executor, off the delivery path: who is offline is a registry call,
     * and the listener may be slow. What either throws is logged; the entry is stored and delivered regardless.
     */
    private void heard(TimelineEntry entry, String actor) {
        if (parts.listener() == TimelineListener.NONE) {
            return;
        }
        try {
            parts.work().execute(() -> {
                try {
                    Chat chat = parts.chats().find(entry.message().chatId()).orElse(null);
                    if (chat == null) {
                        return;
                    }
                    List<String> others = chat.participants().stream().filter(user -> !user.equals(actor)).toList();
                    Map<String, Boolean> online = others.isEmpty() ? Map.of() : parts.presence().online(others);
                    Set<String> offline = others.stream().filter(user -> !online.getOrDefault(user, false))
                            .collect(Collectors.toSet());
                    parts.listener().stored(new TimelineListener.Stored(entry, chat, offline));
                } catch (RuntimeException e) {
                    log.warn("timeline listener failed for entry {} of chat {}", entry.seq(),
                            entry.message().chatId(), e);
                }
            });
        } catch (RejectedExecutionException e) {
            log.debug("engine closed; timeline listener not called for entry {}", entry.seq());
        }
    }
}
