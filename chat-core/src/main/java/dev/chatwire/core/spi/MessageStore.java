package dev.chatwire.core.spi;

import dev.chatwire.core.Message;
import dev.chatwire.core.MessageChange;
import dev.chatwire.core.MessageDraft;
import dev.chatwire.core.TimelineEntry;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The durable timeline of every chat's messages.
 *
 * <p>Thread-safe, and safe when many nodes share one backing store: {@link #append} assigns each chat's
 * {@code seq} so that seqs are unique within a chat and increase in append order, even under concurrent appends.
 *
 * <p><b>Seqs become visible in order.</b> Once any reader on any node can see a chat's message with seq n, every
 * message of that chat with a lower seq that will ever be stored is visible too: a store never shows n+1 and later n.
 * So a hole below a visible seq is settled (nothing will ever fill it), and a reader may move past everything a page
 * of {@link #after} showed; a seq above the highest visible one may still be being written. Engines rely on this to
 * deliver each message once and in order with no gap: a store that shows seqs out of order makes readers skip
 * messages for good. A store may have holes (an older version's failed write), but never reuses a seq. The simplest
 * way to keep the rule across nodes is the one the bundled stores take: the write that stores a message is what
 * takes its seq (a unique index on chat and seq, with the next seq read from what is stored), so there is no
 * moment at which a seq is taken and not yet visible.
 *
 * <p><b>Changes are entries of the timeline.</b> An edit, a delete or a reaction ({@link #change}) takes the chat's
 * next seq, from the same sequence as messages and under the same rule, and changes the message's state in place:
 * {@link #timeline} returns messages and changes (and participants' removals, {@link #recordRemoval}) in seq order,
 * each with the message's current state; {@link #after} and {@link #before} return messages only, in their current
 * state, for history.
 *
 * <p>Every method blocks on the backing store and throws {@link UnavailableException} when it fails or does not
 * answer in time; it never returns a partial result.
 */
public interface MessageStore {

    /**
     * Stores a message, or finds the one stored by an earlier try of the same send.
     *
     * <p>A draft with a {@code clientMessageId} is idempotent on (chatId, senderId, clientMessageId): if such a
     * message is already stored, it is returned with {@code created == false} and nothing new is stored.
     *
     * @return the stored message and whether this call stored it
     */
    Appended append(MessageDraft draft);

    /**
     * Stores a batch of messages for one chat, as {@link #append} would one after the other: the created ones take
     * increasing seqs in list order, and each draft whose {@code clientMessageId} an earlier try or an earlier draft
     * of the same batch already stored returns that message with {@code created == false}. A store that can write a
     * batch in one round trip should (the engine groups concurrent sends to one chat into one call); the default
     * appends one at a time.
     *
     * <p>If it throws, a prefix of the batch may have been stored, never a draft after one that was not: a retry of
     * the same drafts (same {@code clientMessageId}s) returns those and stores the rest.
     *
     * @param drafts one or more drafts, all of the same chat
     * @return one result per draft, in the drafts' order
     * @throws IllegalArgumentException if the drafts are empty or name more than one chat
     */
    default List<Appended> appendAll(List<MessageDraft> drafts) {
        requireOneChat(drafts);
        return drafts.stream().map(this::append).toList();
    }

    /**
     * Checks {@link #appendAll}'s argument: one or more drafts, all of one chat.
     *
     * @throws IllegalArgumentException if it is not
     */
    static void requireOneChat(List<MessageDraft> drafts) {
        if (drafts.isEmpty()) {
            throw new IllegalArgumentException("appendAll needs one or more drafts");
        }
        String chatId = drafts.get(0).chatId();
        for (MessageDraft draft : drafts) {
            if (!draft.chatId().equals(chatId)) {
                throw new IllegalArgumentException("appendAll takes drafts of one chat, got " + chatId + " and "
                        + draft.chatId());
            }
        }
    }

    /**
     * Messages of a chat with a seq greater than {@code afterSeq}, oldest first, at most {@code limit} of them, in
     * their current state; changes are left out (see {@link #timeline}). No message with a seq below the last one
     * returned may become visible later (see the class documentation).
     *
     * @param afterSeq 0 for the chat's first messages
     * @param limit    1 or more
     */
    List<Message> after(String chatId, long afterSeq, int limit);

    /**
     * The {@code limit} newest messages of a chat with a seq less than {@code beforeSeq}, oldest first.
     *
     * @param beforeSeq {@link Long#MAX_VALUE} for the chat's newest messages
     * @param limit     1 or more
     */
    List<Message> before(String chatId, long beforeSeq, int limit);

    /**
     * The entries of a chat's timeline with a seq greater than {@code afterSeq}, oldest first, at most {@code limit}
     * of them: each message at its own seq and each change at the change's seq, every one with the message's
     * current state. No entry with a seq below the last one returned may become visible later.
     *
     * @param afterSeq 0 for the chat's first entries
     * @param limit    1 or more
     */
    List<TimelineEntry> timeline(String chatId, long afterSeq, int limit);

    /** The message with this id in this chat, in its current state, if there is one. */
    Optional<Message> find(String chatId, String messageId);

    /**
     * The message of this chat whose attachment is this media, in its current state, if one is stored. The engine asks
     * only when a participant who may not see the chat's whole history opens a file, to tell which message, and so
     * which seq, the file belongs to. A store that can find it with one indexed query should; the default pages
     * through {@link #after}.
     */
    default Optional<Message> findByMedia(String chatId, String mediaId) {
        long from = 0;
        for (List<Message> page = after(chatId, from, 500); !page.isEmpty(); page = after(chatId, from, 500)) {
            for (Message message : page) {
                if (message.attachment() != null && message.attachment().mediaId().equals(mediaId)) {
                    return Optional.of(message);
                }
            }
            from = page.get(page.size() - 1).seq();
        }
        return Optional.empty();
    }

    /**
     * Applies a change to a message, as one atomic step on the message's state, and stores the change as the chat's
     * next timeline entry. Concurrent changes to one message all apply (two users' reactions are both kept).
     *
     * @param at the time of the change ({@link Message#editedAt()} of an edit)
     * @return the change's entry, with the message's state once this change and every change stored before it
     *         apply; empty if the chat has no such message, or it is deleted (then nothing is stored)
     */
    Optional<TimelineEntry> change(String chatId, String messageId, MessageChange change, Instant at);

    /**
     * Records in the chat's timeline that {@code userId} was removed from the chat. The entry takes the chat's next
     * seq under the same rule as messages and changes, so that every reader meets it in seq order: a connection of the
     * removed user on any node stops there, and nothing stored after it reaches that connection. {@link #timeline}
     * returns it ({@link TimelineEntry#isRemoval()}); {@link #after}, {@link #before}, {@link #find}, unread counts
     * and {@link #newest} leave it out; {@link #lastSeq} counts it.
     *
     * <p>The default refuses: a store written before removals took a seq keeps working, and the engine then stops
     * the removed user's connections on other nodes when {@code chat_left} reaches them, as before.
     *
     * @param at when the removal was made
     * @return the removal's entry
     * @throws UnsupportedOperationException unless the store records removals
     */
    default TimelineEntry recordRemoval(String chatId, String userId, Instant at) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not record removals");
    }

    /**
     * For each chat given, how many of its messages a user has not read: messages with a seq above the chat's
     * read-through seq, sent by someone else, and not deleted. Every chat given is a key of the answer. A store
     * that can count for many chats in one round trip should; the default pages through {@link #after}.
     *
     * @param readThrough for each chat, the highest seq the user has read (0 for none)
     */
    default Map<String, Long> unreadCounts(String userId, Map<String, Long> readThrough) {
        Map<String, Long> counts = new LinkedHashMap<>();
        readThrough.forEach((chatId, seq) -> {
            long unread = 0;
            long from = seq;
            for (List<Message> page = after(chatId, from, 500); !page.isEmpty(); page = after(chatId, from, 500)) {
                unread += page.stream().filter(m -> !m.deleted() && !m.senderId().equals(userId)).count();
                from = page.get(page.size() - 1).seq();
            }
            counts.put(chatId, unread);
        });
        return counts;
    }

    /**
     * For each chat given, its highest seq (as {@link #lastSeqs}) and a user's unread count after the given seq (as
     * {@link #unreadCounts}), for a socket's admission. Every chat given is a key of the answer, in the order given. A
     * store that can answer both in one round trip should; the default calls {@link #lastSeqs}, then
     * {@link #unreadCounts} for the chats with something above their seq.
     *
     * @param countAfter for each chat, the seq the count starts after (the user's read seq, or higher)
     */
    default Map<String, ChatPosition> positions(String userId, Map<String, Long> countAfter) {
        Map<String, Long> lastSeqs = lastSeqs(countAfter.keySet());
        Map<String, Long> toCount = new LinkedHashMap<>();
        countAfter.forEach((chatId, after) -> {
            if (lastSeqs.getOrDefault(chatId, 0L) > after) {
                toCount.put(chatId, after);
            }
        });
        Map<String, Long> unread = toCount.isEmpty() ? Map.of() : unreadCounts(userId, toCount);
        Map<String, ChatPosition> positions = new LinkedHashMap<>();
        countAfter.keySet().forEach(chatId -> positions.put(chatId,
                new ChatPosition(lastSeqs.getOrDefault(chatId, 0L), unread.getOrDefault(chatId, 0L))));
        return positions;
    }

    /**
     * The newest message of each given chat that has one, in its current state (deleted or not). A store that can
     * answer for many chats in one round trip should; the default asks {@link #before} once per chat.
     */
    default Map<String, Message> newest(Collection<String> chatIds) {
        Map<String, Message> newest = new LinkedHashMap<>();
        for (String chatId : chatIds) {
            before(chatId, Long.MAX_VALUE, 1).forEach(message -> newest.put(chatId, message));
        }
        return newest;
    }

    /** The highest seq of a chat's timeline, of a message or a change, or 0 if it has none. */
    long lastSeq(String chatId);

    /**
     * The highest seq stored in each of the given chats, as {@link #lastSeq} answers for one: every chat asked about
     * is a key, with 0 for a chat that has no messages, in the order first given. A store that can answer for many
     * chats in one round trip should (the engine asks once for all of a user's chats when a socket connects); the
     * default asks {@link #lastSeq} once per chat.
     *
     * @param chatIds any number of chats, repeats allowed; none answers an empty map without a call to the store
     */
    default Map<String, Long> lastSeqs(Collection<String> chatIds) {
        Map<String, Long> seqs = new LinkedHashMap<>();
        for (String chatId : chatIds) {
            seqs.computeIfAbsent(chatId, this::lastSeq);
        }
        return seqs;
    }

    /**
     * The result of {@link #append}.
     *
     * @param message the stored message
     * @param created {@code true} if this call stored it, {@code false} if an earlier try had
     */
    record Appended(Message message, boolean created) {
        /** Requires a message. */
        public Appended {
            java.util.Objects.requireNonNull(message, "message");
        }
    }
}
