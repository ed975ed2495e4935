package dev.chatwire.core;

import dev.chatwire.core.protocol.ServerEvent;
import dev.chatwire.core.spi.ChatPolicy;
import dev.chatwire.core.spi.RoomEvent;
import dev.chatwire.core.spi.TokenVerification;
import dev.chatwire.core.spi.UnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import static dev.chatwire.core.RequestFailures.guarded;

/** The requests of {@link ChatEngine}'s public API but sends with files: checks, then the stores, then the rooms. */
final class ChatRequests {

    private static final Logger log = LoggerFactory.getLogger(ChatRequests.class);
    private static final int MAX_PRESENCE_QUERY = 200;
    private static final int MAX_CHAT_NAME_CHARS = 200;

    private final EngineParts parts;
    private final TimelinePublisher timeline;
    private final MembershipSync membership;
    private final Pattern userIds;
    private final ChatStates states;

    ChatRequests(EngineParts parts, TimelinePublisher timeline, MembershipSync membership, ChatStates states) {
        this.parts = parts;
        this.states = states;
        this.timeline = timeline;
        this.membership = membership;
        this.userIds = Pattern.compile(parts.limits().userIdPattern());
    }

    Principal authenticate(String token) {
        if (token == null || token.isBlank()) {
            throw new ChatException(ErrorCode.UNAUTHORIZED, "missing token");
        }
        TokenVerification verification = guarded(() -> parts.tokens().verify(token));
        if (verification instanceof TokenVerification.Accepted accepted) {
            // Checked here as sockets check it, so that a host's own verifier cannot let such an id in over REST.
            userIdProblem(accepted.principal().userId()).ifPresent(problem -> {
                throw new ChatException(ErrorCode.UNAUTHORIZED, "token refused: " + problem);
            });
            return accepted.principal();
        }
        throw new ChatException(ErrorCode.UNAUTHORIZED,
                "token refused: " + ((TokenVerification.Refused) verification).reason());
    }

    /** Why {@code userId} is not acceptable as a user id on this engine, or empty if it is. */
    Optional<String> userIdProblem(String userId) {
        return InputRules.userIdProblem(userId, userIds);
    }

    Message sendText(Principal sender, String chatId, String text, String clientMessageId, Consumer<String> onStored) {
        checkText(text, false);
        InputRules.requireClientMessageId(clientMessageId);
        return guarded(() -> append(sender, memberChat(sender, chatId), text, clientMessageId, onStored));
    }

    /**
     * The chat a send goes to, checked for membership: as a connection of the sender on this node holds it when one
     * does (kept current by membership events, as that connection's deliveries are), else read from the store and
     * handed to the sender's connections here. A host whose users post over REST while their sockets are open, as
     * chat clients do, spares the store a read per message.
     */
    private Chat memberChat(Principal sender, String chatId) {
        Optional<Chat> known = chatId == null ? Optional.empty() : membership.knownChat(sender.userId(), chatId);
        if (known.isPresent()) {
            return known.get();
        }
        Chat read = requireParticipantAccepting(sender, chatId);
        membership.remember(sender.userId(), read);
        return read;
    }

    private Message append(Principal sender, Chat chat, String text, String clientMessageId,
                           Consumer<String> onStored) {
        String reviewed = reviewText(sender, chat, text);
        MessageDraft draft = MessageDraft.text(chat.id(), sender.userId(), reviewed, clientMessageId, parts.now());
        return timeline.append(draft, onStored).message();
    }

    void checkText(String text, boolean optional) {
        if (text == null || text.isBlank()) {
            if (!optional) {
                throw new ChatException(ErrorCode.INVALID, "a message needs text or a file");
            }
            return;
        }
        int maxTextChars = parts.limits().maxTextChars();
        if (text.length() > maxTextChars) {
            throw new ChatException(ErrorCode.TOO_LARGE, "text longer than " + maxTextChars + " characters");
        }
        InputRules.requireText(text);
    }

    /**
     * The text to store for the host's policy: the sender's, or the policy's replacement, which must itself be
     * valid text within the limits.
     *
     * @throws ChatException forbidden when the policy refuses it
     */
    String reviewText(Principal sender, Chat chat, String text) {
        ChatPolicy.Verdict verdict = parts.policy().reviewText(sender.userId(), chat, text);
        if (!verdict.allowed()) {
            throw new ChatException(ErrorCode.FORBIDDEN, verdict.reason());
        }
        if (verdict.replacementText() == null) {
            return text;
        }
        checkText(verdict.replacementText(), false);
        return verdict.replacementText();
    }

    /** Refuses with the policy's reason unless it allows. */
    private static void require(ChatPolicy.Verdict verdict) {
        if (!verdict.allowed()) {
            throw new ChatException(ErrorCode.FORBIDDEN, verdict.reason());
        }
    }

    Chat createChat(Principal creator, Collection<String> participants, String name) {
        Set<String> members = new LinkedHashSet<>();
        members.add(creator.userId());
        for (String participant : participants) {
            InputRules.requireUserId(participant, userIds);
            members.add(participant);
        }
        int maxParticipants = parts.limits().maxParticipants();
        if (members.size() > maxParticipants) {
            throw new ChatException(ErrorCode.TOO_LARGE, "at most " + maxParticipants + " participants");
        }
        if (name != null && name.length() > MAX_CHAT_NAME_CHARS) {
            throw new ChatException(ErrorCode.TOO_LARGE, "chat names are at most " + MAX_CHAT_NAME_CHARS
                    + " characters");
        }
        return guarded(() -> {
            require(parts.policy().mayCreateChat(creator.userId(), Set.copyOf(members), name));
            Chat chat = parts.chats().create(creator.userId(), members, name, parts.now());
            announceJoined(chat, members, 0);
            return chat;
        });
    }

    Chat addParticipant(Principal actor, String chatId, String userId) {
        InputRules.requireUserId(userId, userIds);
        return guarded(() -> {
            Chat chat = requireParticipant(actor, chatId);
            require(parts.policy().mayAddParticipant(actor.userId(), chat, userId));
            if (chat.hasParticipant(userId)) {
                return chat;
            }
            int maxParticipants = parts.limits().maxParticipants();
            if (chat.participants().size() >= maxParticipants) {
                throw new ChatException(ErrorCode.TOO_LARGE, "at most " + maxParticipants + " participants");
            }
            // Read before adding: a message stored meanwhile falls after the join seq, and the user sees it.
            long joinSeq = parts.messages().lastSeq(chatId);
            Chat updated = parts.chats().addParticipant(chatId, userId, joinSeq)
                    .orElseThrow(RequestFailures::notParticipant);
            announceJoined(updated, List.of(userId), joinSeq);
            announceChanged(updated, ServerEvent.ChatUpdated.PARTICIPANT_ADDED, userId, actor, 0);
            return updated;
        });
    }

    Chat removeParticipant(Principal actor, String chatId, String userId) {
        return guarded(() -> {
            Chat chat = requireParticipant(actor, chatId);
            require(parts.policy().mayRemoveParticipant(actor.userId(), chat, userId));
            if (!chat.hasParticipant(userId)) {
                return chat;
            }
            if (chat.participants().size() == 1) {
                throw new ChatException(ErrorCode.INVALID, "the last participant cannot leave");
            }
            Chat updated = parts.chats().removeParticipant(chatId, userId)
                    .orElseThrow(RequestFailures::notParticipant);
            if (updated.hasParticipant(userId)) {
                // Another removal got there first and left this user the last one.
                throw new ChatException(ErrorCode.INVALID, "the last participant cannot leave");
            }
            // Before returning, not when chat_left comes round: a message posted once the caller has its answer
            // must not reach the removed user's sockets here. Other nodes drop them when chat_left reaches them.
            membership.cutLocally(userId, chatId);
            long removalSeq = recordRemoval(chatId, userId);
            parts.broadcaster().publish(LocalRooms.userRoom(userId), new RoomEvent("chat_left", chatId, 0,
                    parts.codec().encode(new ServerEvent.ChatLeft(chatId))));
            // At the removal's seq: every connection of the chat meets it in seq order, and one of the removed user
            // stops there on any node, whenever chat_left reaches it.
            announceChanged(updated, ServerEvent.ChatUpdated.PARTICIPANT_REMOVED, userId, actor, removalSeq);
            return updated;
        });
    }

    Chat setAdmin(Principal actor, String chatId, String userId, boolean admin) {
        InputRules.requireUserId(userId, userIds);
        return guarded(() -> {
            Chat chat = requireParticipant(actor, chatId);
            if (!chat.isOwnedBy(actor.userId())) {
                throw new ChatException(ErrorCode.FORBIDDEN, "only the chat's owner may name or dismiss admins");
            }
            if (!chat.hasParticipant(userId)) {
                throw new ChatException(ErrorCode.INVALID, "only a participant can be an admin");
            }
            if (chat.isOwnedBy(userId) || chat.admins().contains(userId) == admin) {
                return chat;
            }
            Chat updated = parts.chats().setAdmin(chatId, userId, admin).orElseThrow(RequestFailures::notParticipant);
            if (updated.admins().contains(userId) == admin) {
                announceChanged(updated, admin ? ServerEvent.ChatUpdated.ADMIN_ADDED
                        : ServerEvent.ChatUpdated.ADMIN_REMOVED, userId, actor, 0);
            }
            return updated;
        });
    }

    /**
     * Tells the chat's connections, on every node, who takes part in it or manages it now: untimed like presence
     * ({@code seq} 0), or at a removal's seq in the timeline. A client that missed it reads the chat again when it
     * reconnects.
     */
    private void announceChanged(Chat chat, String change, String userId, Principal actor, long seq) {
        timeline.publish(chat.id(), new RoomEvent("chat_updated", chat.id(), seq, parts.codec().encode(
                new ServerEvent.ChatUpdated(chat.id(), chat, change, userId, actor.userId()))));
    }

    /**
     * Records the removal in the chat's timeline; returns its seq, or 0 when the store failed. The removal itself is
     * stored by then and stands: its other nodes' connections then stop at {@code chat_left}, as before removals had
     * seqs, and a retry would find nobody to remove.
     */
    private long recordRemoval(String chatId, String userId) {
        try {
            return parts.messages().recordRemoval(chatId, userId, parts.now()).seq();
        } catch (UnavailableException e) {
            log.warn("removal of a user from chat {} stored, but not its timeline entry; other nodes stop its "
                    + "connections at chat_left", chatId, e);
            return 0;
        } catch (UnsupportedOperationException e) {
            // A message store without removal entries: chat_left alone stops the removed user's connections.
            return 0;
        }
    }

    /** Tells each user's connections of a chat it joined, with what it has read there and who is online. */
    private void announceJoined(Chat chat, Collection<String> userIds, long lastSeq) {
        states.joined(chat, userIds, lastSeq).forEach((userId, joined) -> parts.broadcaster().publish(
                LocalRooms.userRoom(userId),
                new RoomEvent("chat_joined", chat.id(), lastSeq, parts.codec().encode(joined))));
    }

    List<Chat> chats(Principal user) {
        return guarded(() -> parts.chats().chatsOf(user.userId()));
    }

    List<Message> history(Principal user, String chatId, HistoryQuery query) {
        int maxPage = parts.limits().maxHistoryPage();
        int pageSize = query.requestedLimit().orElse(maxPage);
        if (pageSize < 1 || pageSize > maxPage) {
            throw new ChatException(ErrorCode.INVALID, "limit must be 1 to " + maxPage);
        }
        return guarded(() -> {
            Chat chat = requireParticipant(user, chatId);
            long hidden = HistoryVisibility.hiddenThrough(parts.policy(), chat, user.userId());
            if (query.isAfter()) {
                return parts.messages().after(chatId, Math.max(query.seq(), hidden), pageSize);
            }
            List<Message> page = parts.messages().before(chatId, query.beforeSeq(), pageSize);
            return hidden == 0 ? page : page.stream().filter(message -> message.seq() > hidden).toList();
        });
    }

    /**
     * Stores that the user read the chat up to {@code seq} (no further than the chat's newest seq, and never back)
     * and broadcasts the user's read seq as stored.
     *
     * @return the user's read seq in the chat as stored
     */
    long markRead(Principal user, String chatId, long seq) {
        requireNotNegative(seq);
        return guarded(() -> {
            requireParticipantAccepting(user, chatId);
            // Capped, so that a read of a seq not yet written cannot hide the messages that will take it.
            return storeRead(user.userId(), chatId, Math.min(seq, parts.messages().lastSeq(chatId)), null);
        });
    }

    /**
     * A socket's read receipt: its connection's cursor has checked the membership and knows how far the chat was
     * delivered to it, which caps the seq without a store call.
     *
     * @param delivered the highest seq of the chat sent to the reading connection
     * @param origin    the reading connection, which is not sent its own receipt
     */
    void markReadOnSocket(Principal user, String chatId, long seq, long delivered, String origin) {
        requireNotNegative(seq);
        guarded(() -> storeRead(user.userId(), chatId, Math.min(seq, Math.max(delivered, 0)), origin));
    }

    private long storeRead(String userId, String chatId, long seq, String origin) {
        long stored = parts.readStates().markRead(chatId, userId, seq);
        timeline.publishRead(userId, chatId, stored, origin);
        return stored;
    }

    private static void requireNotNegative(long seq) {
        if (seq < 0) {
            throw new ChatException(ErrorCode.INVALID, "seq must not be negative");
        }
    }

    MediaDownload openMedia(Principal user, String mediaId) {
        return guarded(() -> {
            MediaInfo info = parts.media().find(mediaId)
                    .filter(found -> parts.chats().find(found.chatId())
                            .map(chat -> mayOpen(user, chat, found)).orElse(false))
                    .orElseThrow(() -> new ChatException(ErrorCode.NOT_FOUND, "no such media"));
            InputStream content = parts.media().open(mediaId)
                    .orElseThrow(() -> new ChatException(ErrorCode.NOT_FOUND, "no such media"));
            return new MediaDownload(info, content);
        });
    }

    /**
     * Whether the user may open the chat's media: a participant, who may see the message carrying it. The message is
     * looked up only for a user from whom some history is hidden, who may not open a file whose message is not stored
     * yet.
     */
    private boolean mayOpen(Principal user, Chat chat, MediaInfo media) {
        if (!chat.hasParticipant(user.userId())) {
            return false;
        }
        long hidden = HistoryVisibility.hiddenThrough(parts.policy(), chat, user.userId());
        return hidden == 0 || parts.messages().findByMedia(chat.id(), media.id())
                .map(message -> message.seq() > hidden).orElse(false);
    }

    Map<String, Boolean> presence(Principal user, Collection<String> userIds) {
        if (userIds.size() > MAX_PRESENCE_QUERY) {
            throw new ChatException(ErrorCode.INVALID, "at most " + MAX_PRESENCE_QUERY + " users per query");
        }
        return guarded(() -> {
            Set<String> contacts = new HashSet<>();
            contacts.add(user.userId());
            // Only those who consented to a chat the asker is in: being added to a chat exposes nothing.
            parts.chats().chatsOf(user.userId()).forEach(chat -> chat.participants().stream()
                    .filter(chat::hasAccepted).forEach(contacts::add));
            List<String> visible = userIds.stream().filter(contacts::contains).toList();
            Map<String, Boolean> online = parts.presence().online(visible);
            Map<String, Boolean> result = new LinkedHashMap<>();
            userIds.forEach(id -> result.put(id, online.getOrDefault(id, false)));
            return result;
        });
    }

    /**
     * Like {@link #requireParticipant}, and records the user's consent to the chat the first time it sends or reads
     * in it; the chat's members are then told whether it is online, which they may now see.
     */
    Chat requireParticipantAccepting(Principal user, String chatId) {
        Chat chat = requireParticipant(user, chatId);
        return chat.hasAccepted(user.userId()) ? chat : accept(chat, user.userId());
    }

    /** Records consent for a chat the user takes part in, unless recorded; a store call only the first time. */
    void accept(Principal user, String chatId) {
        guarded(() -> requireParticipantAccepting(user, chatId));
    }

    private Chat accept(Chat chat, String userId) {
        Chat accepted = parts.chats().accept(chat.id(), userId).orElseThrow(RequestFailures::notParticipant);
        boolean online = parts.presence().online(List.of(userId)).getOrDefault(userId, false);
        timeline.publish(chat.id(), new RoomEvent("presence", chat.id(), 0,
                parts.codec().encode(new ServerEvent.Presence(chat.id(), userId, online))));
        return accepted;
    }

    Chat requireParticipant(Principal user, String chatId) {
        if (chatId == null || chatId.isBlank()) {
            throw new ChatException(ErrorCode.INVALID, "missing chatId");
        }
        return parts.chats().find(chatId).filter(chat -> chat.hasParticipant(user.userId()))
                .orElseThrow(RequestFailures::notParticipant);
    }
}
