package dev.chatwire.core.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;

import java.util.Map;

/** A frame a client sends over the socket. Its {@code type} field picks the record. See {@code docs/protocol.md}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(ClientCommand.Connect.class),
        @JsonSubTypes.Type(ClientCommand.Auth.class),
        @JsonSubTypes.Type(ClientCommand.Send.class),
        @JsonSubTypes.Type(ClientCommand.Typing.class),
        @JsonSubTypes.Type(ClientCommand.Read.class),
        @JsonSubTypes.Type(ClientCommand.Edit.class),
        @JsonSubTypes.Type(ClientCommand.Delete.class),
        @JsonSubTypes.Type(ClientCommand.React.class),
        @JsonSubTypes.Type(ClientCommand.Ping.class)
})
public sealed interface ClientCommand {

    /** The client's id for a command that is answered with an {@code ack} or an {@code error} naming it, or null. */
    default String clientMessageId() {
        return null;
    }

    /**
     * Authenticates the socket (the first frame), or refreshes the token of an authenticated one.
     *
     * @param token  the JWT
     * @param resume for each chat, the last seq the client saw; missed messages are replayed. May be null.
     */
    @JsonTypeName("connect")
    record Connect(String token, Map<String, Long> resume) implements ClientCommand {
        /** Requires a token and non-negative seqs. */
        public Connect {
            Fields.required(token, "token");
            if (resume != null) {
                resume.values().forEach(seq -> Fields.notNegative(Fields.required(seq, "resume seq"), "resume seq"));
            }
            resume = resume == null ? Map.of() : Map.copyOf(resume);
        }
    }

    /**
     * Refreshes the token of an authenticated socket before it expires.
     *
     * @param token the new JWT, for the same user
     */
    @JsonTypeName("auth")
    record Auth(String token) implements ClientCommand {
        /** Requires a token. */
        public Auth {
            Fields.required(token, "token");
        }
    }

    /**
     * Posts a text message.
     *
     * @param chatId          the chat
     * @param text            the text
     * @param clientMessageId the client's idempotency key, echoed in the {@code ack}; may be null
     */
    @JsonTypeName("send")
    record Send(String chatId, String text, String clientMessageId) implements ClientCommand {
        /** Requires a chat and text. */
        public Send {
            Fields.required(chatId, "chatId");
            Fields.required(text, "text");
        }
    }

    /**
     * Says the user is (or stopped) typing in a chat. Not stored.
     *
     * @param chatId the chat
     * @param active {@code false} when the user stopped typing; true when absent
     */
    @JsonTypeName("typing")
    record Typing(String chatId, Boolean active) implements ClientCommand {
        /** Requires a chat. */
        public Typing {
            Fields.required(chatId, "chatId");
            active = active == null || active;
        }
    }

    /**
     * Says the user has read a chat up to a seq.
     *
     * @param chatId the chat
     * @param seq    the newest seq read
     */
    @JsonTypeName("read")
    record Read(String chatId, Long seq) implements ClientCommand {
        /** Requires a chat and a seq. */
        public Read {
            Fields.required(chatId, "chatId");
            Fields.notNegative(Fields.required(seq, "seq"), "seq");
        }
    }

    /**
     * Replaces the text of one's own message. Answered like {@code send}: an {@code ack} with the message's new state,
     * or an {@code error}; every participant receives {@code message_updated}.
     *
     * @param chatId          the chat
     * @param messageId       the message
     * @param text            the new text
     * @param clientMessageId echoed in the {@code ack} or {@code error}, so the client can match them; may be null
     */
    @JsonTypeName("edit")
    record Edit(String chatId, String messageId, String text, String clientMessageId) implements ClientCommand {
        /** Requires a chat, a message and text. */
        public Edit {
            Fields.required(chatId, "chatId");
            Fields.required(messageId, "messageId");
            Fields.required(text, "text");
        }
    }

    /**
     * Deletes one's own message: its text and file are gone for everyone. Answered like {@code edit}.
     *
     * @param chatId          the chat
     * @param messageId       the message
     * @param clientMessageId echoed in the answer; may be null
     */
    @JsonTypeName("delete")
    record Delete(String chatId, String messageId, String clientMessageId) implements ClientCommand {
        /** Requires a chat and a message. */
        public Delete {
            Fields.required(chatId, "chatId");
            Fields.required(messageId, "messageId");
        }
    }

    /**
     * Adds or removes the user's reaction to a message. Answered like {@code edit}.
     *
     * @param chatId          the chat
     * @param messageId       the message
     * @param emoji           the reaction
     * @param active          {@code false} removes the reaction; true when absent
     * @param clientMessageId echoed in the answer; may be null
     */
    @JsonTypeName("react")
    record React(String chatId, String messageId, String emoji, Boolean active, String clientMessageId)
            implements ClientCommand {
        /** Requires a chat, a message and an emoji. */
        public React {
            Fields.required(chatId, "chatId");
            Fields.required(messageId, "messageId");
            Fields.required(emoji, "emoji");
            active = active == null || active;
        }
    }

    /**
     * Asks the server for a {@code pong}: a heartbeat a browser can see, since browsers hide WebSocket ping frames
     * from scripts. Answered only on an authenticated socket, and counted against the command rate like any command.
     */
    @JsonTypeName("ping")
    record Ping() implements ClientCommand {
    }
}
