package dev.chatwire.core.spi;

import dev.chatwire.core.Chat;
import dev.chatwire.core.Message;
import dev.chatwire.core.MessageChange;

import java.util.Objects;
import java.util.Set;

/**
 * The host's rules for who may do what in chats, on top of the engine's fixed ones (only participants act in a chat,
 * the limits hold). Each method answers a {@link Verdict}; a refusal reaches the client as a {@code forbidden}
 * error with its reason, and nothing changes. Every method has a default, and {@link #DEFAULT} keeps them all:
 * anyone may create a chat with anyone; the owner and the admins add others; anyone leaves, the owner removes
 * anyone and an admin removes those who are neither the owner nor admins; only the sender edits or deletes a
 * message; any participant reacts; every send is stored as written.
 *
 * <p>Called on the thread of the request or command, before the stores are written; must be thread-safe and
 * quick (a moderation service that takes time wants a cache). What a method throws fails the request as an
 * internal error and changes nothing.
 */
public interface ChatPolicy {

    /** The engine's own rules, described above. */
    ChatPolicy DEFAULT = new ChatPolicy() {
    };

    /**
     * Whether {@code creator} may create a chat with these participants (the creator among them).
     *
     * @param name the chat's name, or {@code null}
     */
    default Verdict mayCreateChat(String creator, Set<String> participants, String name) {
        return Verdict.allow();
    }

    /** Whether {@code actor}, a participant, may add {@code userId} to the chat. */
    default Verdict mayAddParticipant(String actor, Chat chat, String userId) {
        return chat.isManagedBy(actor) ? Verdict.allow()
                : Verdict.refuse("only the chat's owner or an admin may add others");
    }

    /** Whether {@code actor}, a participant, may remove {@code userId} from the chat; {@code actor} may be leaving. */
    default Verdict mayRemoveParticipant(String actor, Chat chat, String userId) {
        if (actor.equals(userId) || chat.isOwnedBy(actor)
                || chat.hasAdmin(actor) && !userId.equals(chat.owner()) && !chat.admins().contains(userId)) {
            return Verdict.allow();
        }
        return Verdict.refuse("only the chat's owner, or an admin for other members, may remove others");
    }

    /** Whether {@code actor}, a participant, may make this change to a message of the chat. */
    default Verdict mayChangeMessage(String actor, Chat chat, Message message, MessageChange change) {
        if (change instanceof MessageChange.React || actor.equals(message.senderId())) {
            return Verdict.allow();
        }
        return Verdict.refuse(change instanceof MessageChange.Edit
                ? "only the sender may edit a message" : "only the sender may delete a message");
    }

    /**
     * Reviews the text of a message before it is stored (a text message, or the caption of a send with files): allow
     * it, refuse it, or {@linkplain Verdict#replaceText replace} it (the replacement is stored and broadcast instead,
     * and must itself be valid text within the limits).
     */
    default Verdict reviewText(String sender, Chat chat, String text) {
        return Verdict.allow();
    }

    /**
     * Whether the participants added to {@code chat} after its creation see only what came after they were added
     * (history from join); by default they see its whole history, as its first participants do. When this answers
     * {@code true}, a user added at the chat's seq {@code n} ({@link Chat#joinSeqOf}) is shown nothing at or below
     * {@code n}: not in history pages, not in socket replays and resumes, not in the changes ({@code message_updated})
     * to those older messages, not as a chat list's newest message nor in unread counts; and it cannot edit, delete or
     * react to those messages. A user removed and added again sees from its latest joining. The creator and the
     * participants the chat was created with see everything. The answer is read when a request or a connection reads
     * the chat, so a change of mind applies to later reads, joins included (the join seq is always recorded).
     */
    default boolean historyFromJoin(Chat chat) {
        return false;
    }

    /**
     * A policy's answer.
     *
     * @param allowed         whether the action may go ahead
     * @param reason          why it may not, shown to the client; {@code null} when allowed
     * @param replacementText for {@link #reviewText} only: the text to store instead, or {@code null} to keep it
     */
    record Verdict(boolean allowed, String reason, String replacementText) {

        private static final Verdict ALLOW = new Verdict(true, null, null);

        /** Requires a reason for a refusal, and no replacement with one. */
        public Verdict {
            if (!allowed) {
                Objects.requireNonNull(reason, "a refusal needs a reason");
                if (replacementText != null) {
                    throw new IllegalArgumentException("a refusal replaces nothing");
                }
            }
        }

        /** Lets the action go ahead. */
        public static Verdict allow() {
            return ALLOW;
        }

        /** Refuses the action; the client sees {@code reason}. */
        public static Verdict refuse(String reason) {
            return new Verdict(false, reason, null);
        }

        /** Lets a send go ahead with this text stored instead of the sender's. */
        public static Verdict replaceText(String text) {
            return new Verdict(true, null, Objects.requireNonNull(text, "text"));
        }
    }
}
