package dev.chatwire.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chatwire.core.protocol.ServerEvent;
import dev.chatwire.core.spi.ChatPolicy;

/**
 * What of a chat's timeline a participant's connection may see. How much history it may not see: with the host's
 * {@link ChatPolicy#historyFromJoin history from join}, everything at or below the seq the chat had when the
 * participant was added; otherwise nothing. Every read of a chat's messages for a user (history, replays, chat list,
 * unread counts, changes, files) asks here. And where its membership ends: the timed {@code chat_updated} of its
 * removal.
 */
final class HistoryVisibility {

    /** Reads a live event's frame only for the changed message's seq; thread-safe once configured. */
    private static final ObjectMapper FRAMES = new ObjectMapper();

    private HistoryVisibility() {
    }

    /** The highest seq of the chat hidden from {@code userId}; 0 when it sees the whole chat. */
    static long hiddenThrough(ChatPolicy policy, Chat chat, String userId) {
        long joinSeq = chat.joinSeqOf(userId);
        return joinSeq > 0 && policy.historyFromJoin(chat) ? joinSeq : 0;
    }

    /**
     * Whether a live {@code message_updated} frame changes a message at or below {@code hiddenThrough}. A live event
     * carries its own seq but not its message's, so the frame is read: only for a user from whom history is hidden.
     * A frame that cannot be read counts as hidden.
     */
    static boolean changesHiddenMessage(String frame, long hiddenThrough) {
        try {
            JsonNode seq = FRAMES.readTree(frame).path("message").path("seq");
            return !seq.canConvertToLong() || seq.asLong() <= hiddenThrough;
        } catch (JsonProcessingException e) {
            return true;
        }
    }

    /**
     * The user a live {@code chat_updated} frame with a seq removes from the chat, or {@code null} for any other
     * change. Read only for the timed ones, which only removals are.
     */
    static String removedUserOf(String frame) {
        try {
            JsonNode event = FRAMES.readTree(frame);
            return ServerEvent.ChatUpdated.PARTICIPANT_REMOVED.equals(event.path("change").asText())
                    ? event.path("userId").asText(null) : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
