package dev.chatwire.client;

/**
 * The listeners of every kind of event, and the routing of a server event to its kind. Thread-safe as
 * {@link Listeners} is.
 */
final class Events {

    final Listeners<Message> messages = new Listeners<>();
    final Listeners<MessageUpdate> updates = new Listeners<>();
    final Listeners<TypingEvent> typing = new Listeners<>();
    final Listeners<ReadEvent> reads = new Listeners<>();
    final Listeners<PresenceEvent> presence = new Listeners<>();
    final Listeners<ChatJoinedEvent> joined = new Listeners<>();
    final Listeners<ChatLeftEvent> left = new Listeners<>();
    final Listeners<ChatUpdatedEvent> updatedChats = new Listeners<>();
    final Listeners<ConnectionState> states = new Listeners<>();
    final Listeners<ChatRefusedException> errors = new Listeners<>();

    /** Passes one of the events that need no bookkeeping of the client to its listeners. */
    void emit(Object event) {
        if (event instanceof TypingEvent typingEvent) {
            typing.emit(typingEvent);
        } else if (event instanceof ReadEvent read) {
            reads.emit(read);
        } else if (event instanceof PresenceEvent presenceEvent) {
            presence.emit(presenceEvent);
        } else if (event instanceof ChatJoinedEvent chatJoined) {
            joined.emit(chatJoined);
        } else if (event instanceof ChatLeftEvent chatLeft) {
            left.emit(chatLeft);
        } else if (event instanceof ChatUpdatedEvent chatUpdated) {
            updatedChats.emit(chatUpdated);
        } else {
            throw new IllegalArgumentException("not an application event: " + event);
        }
    }
}
