package dev.chatwire.core.spi;

import dev.chatwire.core.Chat;
import dev.chatwire.core.ChatActivity;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Chats, their participants, and who owns, manages and has accepted each.
 *
 * <p>Thread-safe and safe when many nodes share one backing store. Every method blocks on the backing store and
 * throws {@link UnavailableException} when it fails or does not answer in time. An id that the store could never have
 * issued (malformed) is treated as unknown: the lookup finds nothing.
 */
public interface ChatStore {

    /**
     * Creates a chat with a new id, owned by {@code owner}, who is one of the participants and has accepted it.
     *
     * @throws IllegalArgumentException if {@code owner} is not among {@code participants}
     */
    Chat create(String owner, Set<String> participants, String name, Instant createdAt);

    /** The chat with this id, if there is one. */
    Optional<Chat> find(String chatId);

    /** Every chat {@code userId} takes part in, oldest first; empty if none. */
    List<Chat> chatsOf(String userId);

    /**
     * Records that a chat had a message at {@code at}. A chat's activity never moves back: an older time changes
     * nothing, so nodes may record out of order. Recording for an unknown chat changes nothing.
     */
    void touch(String chatId, Instant at);

    /**
     * A page of the chats {@code userId} takes part in, newest activity first (a chat's newest {@link #touch}, or its
     * creation), then by id from the highest, starting after {@code after}. A store should answer with one indexed
     * query however many chats the user has.
     *
     * @param after where the previous page ended, or {@code null} for the first page
     * @param limit 1 or more
     */
    List<ChatActivity> chatsByActivity(String userId, ChatActivity.Position after, int limit);

    /**
     * Adds a participant who sees the chat's whole history (join seq 0); returns the updated chat, or empty if there
     * is no such chat. Adding a participant again is harmless.
     */
    Optional<Chat> addParticipant(String chatId, String userId);

    /**
     * Adds a participant, recording {@code joinSeq} as its {@linkplain Chat#joinSeqOf join seq}; returns the updated
     * chat, or empty if there is no such chat. Adding a participant again is harmless and keeps its join seq; removing
     * it forgets the join seq, so that a user added again gets the new one. The engine calls this one.
     *
     * <p>The default adds the user as {@link #addParticipant(String, String)} does: a store written before join seqs
     * existed keeps working, and a host policy asking for history from join then shows that store's late joiners
     * everything, as before.
     *
     * @param joinSeq the chat's newest seq as the engine read it before adding the user (0 or more)
     */
    default Optional<Chat> addParticipant(String chatId, String userId, long joinSeq) {
        return addParticipant(chatId, userId);
    }

    /**
     * Removes a participant; returns the updated chat, or empty if there is no such chat. Removing a user who is not a
     * participant is harmless. The last participant is never removed: the chat is returned as it is, with the user
     * still in it, so that a caller racing another removal learns it from the value, not from an exception.
     */
    Optional<Chat> removeParticipant(String chatId, String userId);

    /**
     * Makes a participant an admin or no longer one; returns the updated chat, or empty if there is no such chat. A
     * user who is not a participant is left as is, and the chat is returned unchanged. Removing a participant also
     * ends its being an admin.
     */
    Optional<Chat> setAdmin(String chatId, String userId, boolean admin);

    /**
     * Records that a participant consented to the chat; returns the updated chat, or empty if there is no such chat.
     * A user who is not a participant is left as is, and the chat is returned unchanged; accepting twice is harmless.
     * Removing a participant also forgets its consent, so that a user added again must consent again.
     */
    Optional<Chat> accept(String chatId, String userId);
}
