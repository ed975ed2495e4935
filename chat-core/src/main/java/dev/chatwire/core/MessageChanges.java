package dev.chatwire.core;

import dev.chatwire.core.spi.ChatPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static dev.chatwire.core.RequestFailures.guarded;

/**
 * Edits, deletes and reactions: checks (participant, the host's policy, the message's state, the limits), then the
 * store, which takes the change's seq, then the chat's room.
 */
final class MessageChanges {

    private static final Logger log = LoggerFactory.getLogger(MessageChanges.class);
    /** Code points of one reaction: enough for a family or a flag with modifiers, too few to carry a text. */
    static final int MAX_EMOJI_CODE_POINTS = 10;

    private final EngineParts parts;
    private final TimelinePublisher timeline;
    private final ChatRequests requests;

    MessageChanges(EngineParts parts, TimelinePublisher timeline, ChatRequests requests) {
        this.parts = parts;
        this.timeline = timeline;
        this.requests = requests;
    }

    /** Edits a message's text; see {@link ChatEngine#editMessage}. */
    TimelineEntry edit(Principal actor, String chatId, String messageId, String text) {
        requests.checkText(text, false);
        return apply(actor, chatId, messageId, new MessageChange.Edit(text));
    }

    /** Deletes a message and its file's bytes; see {@link ChatEngine#deleteMessage}. */
    TimelineEntry delete(Principal actor, String chatId, String messageId) {
        return apply(actor, chatId, messageId, new MessageChange.Delete());
    }

    /** Adds or removes the actor's reaction; see {@link ChatEngine#react}. */
    TimelineEntry react(Principal actor, String chatId, String messageId, String emoji, boolean active) {
        InputRules.requireEmoji(emoji, MAX_EMOJI_CODE_POINTS);
        return apply(actor, chatId, messageId, new MessageChange.React(actor.userId(), emoji, active));
    }

    private TimelineEntry apply(Principal actor, String chatId, String messageId, MessageChange change) {
        if (messageId == null || messageId.isBlank()) {
            throw new ChatException(ErrorCode.INVALID, "missing messageId");
        }
        return guarded(() -> {
            Chat chat = requests.requireParticipantAccepting(actor, chatId);
            // A message that history from join hides from the actor is as unknown to it as one that never was.
            Message message = parts.messages().find(chatId, messageId)
                    .filter(found -> found.seq() > HistoryVisibility.hiddenThrough(parts.policy(), chat,
                            actor.userId()))
                    .orElseThrow(() -> new ChatException(ErrorCode.NOT_FOUND, "no such message"));
            if (message.deleted()) {
                throw new ChatException(ErrorCode.INVALID, "the message was deleted");
            }
            ChatPolicy.Verdict verdict = parts.policy().mayChangeMessage(actor.userId(), chat, message, change);
            if (!verdict.allowed()) {
                throw new ChatException(ErrorCode.FORBIDDEN, verdict.reason());
            }
            MessageChange checked = reviewed(actor, chat, change);
            requireRoomForReaction(message, checked);
            TimelineEntry entry = parts.messages().change(chatId, messageId, checked, parts.now())
                    .orElseThrow(() -> new ChatException(ErrorCode.INVALID, "the message was deleted"));
            if (checked instanceof MessageChange.Delete && message.attachment() != null) {
                deleteMedia(message.attachment().mediaId());
            }
            timeline.publishChange(entry, actor.userId());
            return entry;
        });
    }

    /** An edit's new text goes through the host's review as a send's text does. */
    private MessageChange reviewed(Principal actor, Chat chat, MessageChange change) {
        if (change instanceof MessageChange.Edit edit) {
            String text = requests.reviewText(actor, chat, edit.text());
            return text.equals(edit.text()) ? change : new MessageChange.Edit(text);
        }
        return change;
    }

    private void requireRoomForReaction(Message message, MessageChange change) {
        if (change instanceof MessageChange.React react && react.active()
                && !message.reactions().containsKey(react.emoji())
                && message.reactions().size() >= parts.limits().maxReactionsPerMessage()) {
            throw new ChatException(ErrorCode.TOO_LARGE,
                    "at most " + parts.limits().maxReactionsPerMessage() + " different reactions per message");
        }
    }

    /** The bytes of a deleted message's file go now; the message no longer names them, so nothing else would. */
    private void deleteMedia(String mediaId) {
        try {
            parts.media().delete(mediaId);
        } catch (RuntimeException e) {
            log.warn("could not delete the file {} of a deleted message", mediaId, e);
        }
    }
}
