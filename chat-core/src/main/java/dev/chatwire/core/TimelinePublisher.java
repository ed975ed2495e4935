package dev.chatwire.core;

import dev.chatwire.core.protocol.ServerEvent;
import dev.chatwire.core.spi.MessageStore.Appended;
import dev.chatwire.core.spi.RoomEvent;

import java.util.function.Consumer;

/** Stores messages through the chat's group commit and broadcasts what goes to a chat's room. */
final class TimelinePublisher {

    /** The most messages of one chat stored in one call: enough to drain a burst, small enough for one insert. */
    private static final int MAX_APPEND_BATCH = 100;

    private final EngineParts parts;
    private final AppendPipeline appends;

    TimelinePublisher(EngineParts parts) {
        this.parts = parts;
        this.appends = new AppendPipeline(parts.messages(), this::publishStored, MAX_APPEND_BATCH);
    }

    /**
     * Stores a draft in its chat's next group commit, then broadcasts it (see {@link AppendPipeline}): this node
     * publishes a chat's messages in seq order, and the cursors repair any order the nodes disagree on.
     */
    Appended append(MessageDraft draft, Consumer<String> onStored) {
        return appends.append(draft, onStored);
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
    }
}
