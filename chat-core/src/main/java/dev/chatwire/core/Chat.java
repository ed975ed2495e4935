package dev.chatwire.core;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A conversation, the users taking part in it and who may manage it.
 *
 * <p>The owner and the admins may add and remove others; anyone may leave. A chat stored before chats had owners
 * has none and no admins: nobody may manage it, since nothing says who created it (the first participant may be
 * someone else once the creator has left), and letting every participant manage it would keep anyone able to
 * remove anyone. Its participants can still leave, and a host can name an owner in the store.
 *
 * @param id           the store-assigned id, never blank
 * @param participants the user ids that may read, post and receive the chat's events; never empty
 * @param name         a display name, or {@code null} for an unnamed (direct) chat
 * @param createdAt    when the chat was created
 * @param owner        the creator, or {@code null} for a chat stored before chats had owners; stays the owner after
 *                     leaving, but manages nothing while not a participant
 * @param admins       the participants the owner made admins; {@code null} reads as none
 * @param accepted     the participants who consented to the chat by creating it, sending in it or reading it; only
 *                     they show their presence in it. {@code null} reads as none
 * @param joinSeqs     for each participant added after the chat was created, the chat's newest seq when it was
 *                     added: with {@link dev.chatwire.core.spi.ChatPolicy#historyFromJoin history from join}, what it
 *                     may read of the chat starts after it. The creator and the first participants have none (0);
 *                     {@code null} reads as none
 */
public record Chat(String id, Set<String> participants, String name, Instant createdAt, String owner,
                   Set<String> admins, Set<String> accepted, Map<String, Long> joinSeqs) {

    /** Validates every field and freezes the sets in their given order. */
    public Chat {
        id = Validate.notBlank(id, "id");
        Objects.requireNonNull(participants, "participants");
        if (participants.isEmpty()) {
            throw new IllegalArgumentException("a chat needs at least one participant");
        }
        participants = frozen(participants, "participant");
        Objects.requireNonNull(createdAt, "createdAt");
        if (owner != null) {
            Validate.notBlank(owner, "owner");
        }
        admins = admins == null ? Set.of() : frozen(admins, "admin");
        accepted = accepted == null ? Set.of() : frozen(accepted, "accepted user");
        joinSeqs = joinSeqs == null ? Map.of() : frozenSeqs(joinSeqs);
    }

    /** A chat whose participants all see its whole history: how chats stored before join seqs existed read. */
    public Chat(String id, Set<String> participants, String name, Instant createdAt, String owner,
                Set<String> admins, Set<String> accepted) {
        this(id, participants, name, createdAt, owner, admins, accepted, Map.of());
    }

    /** A chat with no owner, no admins and nobody's consent: how chats stored before these existed read. */
    public Chat(String id, Set<String> participants, String name, Instant createdAt) {
        this(id, participants, name, createdAt, null, Set.of(), Set.of(), Map.of());
    }

    private static Set<String> frozen(Set<String> users, String what) {
        users.forEach(user -> Validate.notBlank(user, what));
        return Collections.unmodifiableSet(new LinkedHashSet<>(users));
    }

    private static Map<String, Long> frozenSeqs(Map<String, Long> seqs) {
        seqs.forEach((user, seq) -> {
            Validate.notBlank(user, "joined user");
            Validate.notNegative(Objects.requireNonNull(seq, "join seq"), "join seq");
        });
        return Collections.unmodifiableMap(new LinkedHashMap<>(seqs));
    }

    /** Whether {@code userId} takes part in this chat. */
    public boolean hasParticipant(String userId) {
        return participants.contains(userId);
    }

    /** Whether {@code userId} is the owner and still takes part. */
    public boolean isOwnedBy(String userId) {
        return userId != null && userId.equals(owner) && hasParticipant(userId);
    }

    /** Whether {@code userId} is an admin who still takes part. */
    public boolean hasAdmin(String userId) {
        return admins.contains(userId) && hasParticipant(userId);
    }

    /** Whether {@code userId} may add and remove others: the owner or an admin, still taking part. */
    public boolean isManagedBy(String userId) {
        return isOwnedBy(userId) || hasAdmin(userId);
    }

    /** Whether {@code userId} takes part and has consented to this chat, so that it shows its presence here. */
    public boolean hasAccepted(String userId) {
        return accepted.contains(userId) && hasParticipant(userId);
    }

    /**
     * The chat's newest seq when {@code userId} was added to it, or 0 for a creator, a first participant, or a user
     * added before chats recorded it.
     */
    public long joinSeqOf(String userId) {
        return joinSeqs.getOrDefault(userId, 0L);
    }
}
