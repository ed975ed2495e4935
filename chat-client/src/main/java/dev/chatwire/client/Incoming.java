package dev.chatwire.client;

import java.util.List;
import java.util.Map;

/** A decoded server frame; the events an application sees are passed on as their public records. */
sealed interface Incoming {

    /**
     * {@code connected}: the socket is authenticated; {@code seqs} are where live traffic of unnamed chats starts, and
     * {@code historyAfter} where the visible history of chats joined under history from join starts.
     */
    record Connected(String userId, String connectionId, List<String> chats, Map<String, Long> seqs,
                     Map<String, Long> historyAfter) implements Incoming {
    }

    /** {@code new_message}. */
    record NewMessage(Message message) implements Incoming {
    }

    /** {@code message_updated}: a change to a message, at the change's own seq. */
    record MessageUpdated(MessageUpdate update) implements Incoming {
    }

    /** {@code ack}: the send with this key was stored as this message. */
    record Ack(String clientMessageId, Message message) implements Incoming {
    }

    /** An event passed to the application as it is: typing, read, presence, chat_joined, chat_left or chat_updated. */
    record Event(Object event) implements Incoming {
    }

    /** {@code error}: a command failed; {@code clientMessageId} names the send it answers, if any. */
    record Error(String code, String message, String clientMessageId) implements Incoming {
    }

    /** A frame of a type this client does not know, from a newer server; ignored. */
    record Unknown(String type) implements Incoming {
    }
}
