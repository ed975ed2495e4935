package dev.chatwire.core.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import dev.chatwire.core.Chat;
import dev.chatwire.core.Message;

import java.util.List;
import java.util.Map;

/** A frame the server sends to a client. Its {@code type} field names the record. See {@code docs/protocol.md}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(ServerEvent.Connected.class),
        @JsonSubTypes.Type(ServerEvent.NewMessage.class),
        @JsonSubTypes.Type(ServerEvent.MessageUpdated.class),
        @JsonSubTypes.Type(ServerEvent.Ack.class),
        @JsonSubTypes.Type(ServerEvent.Typing.class),
        @JsonSubTypes.Type(ServerEvent.Read.class),
        @JsonSubTypes.Type(ServerEvent.Presence.class),
        @JsonSubTypes.Type(ServerEvent.ChatJoined.class),
        @JsonSubTypes.Type(ServerEvent.ChatLeft.class),
        @JsonSubTypes.Type(ServerEvent.ChatUpdated.class),
        @JsonSubTypes.Type(ServerEvent.Error.class),
        @JsonSubTypes.Type(ServerEvent.Pong.class)
})
public sealed interface ServerEvent {

    /** The wire name of this event's type. */
    default String typeName() {
        return getClass().getAnnotation(JsonTypeName.class).value();
    }

    /**
     * The socket is authenticated.
     *
     * @param chats    the ids of every chat the user takes part in
     * @param seqs     for each chat, the newest seq when the socket joined it: live timeline events follow it (or
     *                 follow the client's resume seq, when it sent one); older messages are in the history
     * @param lastRead for each chat, the highest seq the user has read, on any device (0 for none)
     * @param unread   for each chat, how many messages of others after {@code lastRead} are not deleted
     * @param readBy   for each chat, the other participants' read seqs, for those who have read any
     * @param online   for each chat, the other participants online now whose presence the user may see
     * @param historyAfter for each chat whose older history is hidden from the user (history from join), the seq at
     *                 which it was added, as {@link ChatJoined#historyAfter()}: it sees only the chat's entries after
     *                 it. Chats it sees whole are not keys; none such leaves the field off the wire
     */
    @JsonTypeName("connected")
    record Connected(String userId, String connectionId, List<String> chats, Map<String, Long> seqs,
                     Map<String, Long> lastRead, Map<String, Long> unread, Map<String, Map<String, Long>> readBy,
                     Map<String, List<String>> online,
                     @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Long> historyAfter)
            implements ServerEvent {

        /** Reads a missing {@code historyAfter} (an older server's) as no chat's history hidden. */
        public Connected {
            historyAfter = historyAfter == null ? Map.of() : historyAfter;
        }
    }

    /**
     * A stored message changed (edited, deleted, reacted to): an entry of the chat's timeline, at its own seq.
     *
     * @param seq     the change's place in the chat's timeline
     * @param message the message's whole current state, with its own (older) seq
     */
    @JsonTypeName("message_updated")
    record MessageUpdated(String chatId, long seq, Message message) implements ServerEvent {
    }

    /** A message was stored in a chat the user takes part in. */
    @JsonTypeName("new_message")
    record NewMessage(Message message) implements ServerEvent {
    }

    /** The sender's own {@code send} was stored; {@code message} carries its id and seq. */
    @JsonTypeName("ack")
    record Ack(String clientMessageId, Message message) implements ServerEvent {
    }

    /** A user started ({@code active}) or stopped typing in a chat. */
    @JsonTypeName("typing")
    record Typing(String chatId, String userId, boolean active) implements ServerEvent {
    }

    /** A user has read a chat up to {@code seq}. */
    @JsonTypeName("read")
    record Read(String chatId, String userId, long seq) implements ServerEvent {
    }

    /** A user sharing {@code chatId} came online (first connection) or went offline (last one). */
    @JsonTypeName("presence")
    record Presence(String chatId, String userId, boolean online) implements ServerEvent {
    }

    /**
     * The user was added to a chat (or created one); its events now reach this socket.
     *
     * @param seq          the chat's newest seq when the user was added: live timeline events follow it
     * @param lastRead     the highest seq the user has read in the chat (0 for none)
     * @param unread       how many messages of others after {@code lastRead} (and {@code historyAfter}) are not
     *                     deleted
     * @param readBy       the other participants' read seqs, for those who have read any
     * @param online       the other participants online now whose presence the user may see
     * @param historyAfter with history from join, the seq at which the user was added: it sees only the chat's
     *                     entries after it, in history and replays alike; 0 (left off the wire) when it sees them all
     */
    @JsonTypeName("chat_joined")
    record ChatJoined(String chatId, Chat chat, long seq, long lastRead, long unread, Map<String, Long> readBy,
                      List<String> online,
                      @JsonInclude(JsonInclude.Include.NON_DEFAULT) long historyAfter) implements ServerEvent {
    }

    /**
     * Who takes part in a chat, or who manages it, changed; sent to the chat's participants, untimed (no seq).
     *
     * @param chat   the chat as it is after the change
     * @param change what changed: {@code participant_added}, {@code participant_removed}, {@code admin_added} or
     *               {@code admin_removed}
     * @param userId the user it changed for
     * @param by     the user who made the change (the leaving user itself when one leaves)
     */
    @JsonTypeName("chat_updated")
    record ChatUpdated(String chatId, Chat chat, String change, String userId, String by) implements ServerEvent {

        /** {@code change} when a participant was added. */
        public static final String PARTICIPANT_ADDED = "participant_added";
        /** {@code change} when a participant was removed or left. */
        public static final String PARTICIPANT_REMOVED = "participant_removed";
        /** {@code change} when the owner made a participant an admin. */
        public static final String ADMIN_ADDED = "admin_added";
        /** {@code change} when the owner made an admin a plain participant again. */
        public static final String ADMIN_REMOVED = "admin_removed";
    }

    /** The user was removed from a chat; its events no longer reach this socket. */
    @JsonTypeName("chat_left")
    record ChatLeft(String chatId) implements ServerEvent {
    }

    /**
     * A command failed. The socket stays open.
     *
     * @param code            the {@link dev.chatwire.core.ErrorCode} wire name
     * @param message         a human-readable explanation
     * @param clientMessageId the failed send's id, when there was one
     */
    @JsonTypeName("error")
    record Error(String code, String message, String clientMessageId) implements ServerEvent {
    }

    /** The answer to a client's {@code ping}: the connection is alive both ways. */
    @JsonTypeName("pong")
    record Pong() implements ServerEvent {
    }
}
