package dev.chatwire.core;

import dev.chatwire.core.protocol.ServerEvent;
import dev.chatwire.core.spi.ChatPosition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a user sees of its chats beside the messages: its read seq, its unread count, the others' read seqs and who of
 * the others is online. Read for any number of chats with one call to each of the read-state store, the message
 * store and the presence registry, never one per chat.
 */
final class ChatStates {

    private final EngineParts parts;

    ChatStates(EngineParts parts) {
        this.parts = parts;
    }

    /**
     * The state of each chat for one user, with each chat's newest seq: one call to the read-state store, one to
     * {@link dev.chatwire.core.spi.MessageStore#positions} and one to the presence registry. Unread counts start after
     * the user's read seq, or after what history from join hides from it when that is higher.
     *
     * @throws dev.chatwire.core.spi.UnavailableException if a backend fails
     */
    States of(String userId, Collection<Chat> chats) {
        List<String> chatIds = chats.stream().map(Chat::id).toList();
        Map<String, Map<String, Long>> readSeqs = chatIds.isEmpty() ? Map.of()
                : parts.readStates().readSeqs(chatIds);
        Map<String, Long> lastRead = new LinkedHashMap<>();
        Map<String, Map<String, Long>> readBy = new LinkedHashMap<>();
        Map<String, Long> countFrom = new LinkedHashMap<>();
        for (Chat chat : chats) {
            Map<String, Long> seqs = readSeqs.getOrDefault(chat.id(), Map.of());
            long own = seqs.getOrDefault(userId, 0L);
            lastRead.put(chat.id(), own);
            readBy.put(chat.id(), othersRead(chat, seqs, userId));
            countFrom.put(chat.id(), Math.max(own, HistoryVisibility.hiddenThrough(parts.policy(), chat, userId)));
        }
        Map<String, ChatPosition> positions = countFrom.isEmpty() ? Map.of()
                : parts.messages().positions(userId, countFrom);
        Map<String, Long> lastSeqs = new LinkedHashMap<>();
        Map<String, Long> unread = new LinkedHashMap<>();
        chatIds.forEach(chatId -> {
            ChatPosition position = positions.getOrDefault(chatId, new ChatPosition(0, 0));
            lastSeqs.put(chatId, position.lastSeq());
            unread.put(chatId, position.unread());
        });
        return new States(lastSeqs, lastRead, unread, readBy, online(userId, chats));
    }

    /**
     * The {@code chat_joined} event of one chat for each of the users who joined it, with their read state: one call
     * to each backend for all of them, but for the unread counts, which are counted per user, and only for a user
     * whose read seq is below the chat's newest (never for a new chat).
     */
    Map<String, ServerEvent.ChatJoined> joined(Chat chat, Collection<String> userIds, long lastSeq) {
        Map<String, Long> readSeqs = parts.readStates().readSeqs(List.of(chat.id())).getOrDefault(chat.id(), Map.of());
        Set<String> visible = new LinkedHashSet<>();
        chat.participants().stream().filter(chat::hasAccepted).forEach(visible::add);
        Map<String, Boolean> online = visible.isEmpty() ? Map.of() : parts.presence().online(visible);
        Map<String, ServerEvent.ChatJoined> events = new LinkedHashMap<>();
        for (String userId : userIds) {
            long lastRead = readSeqs.getOrDefault(userId, 0L);
            long hidden = HistoryVisibility.hiddenThrough(parts.policy(), chat, userId);
            long countFrom = Math.max(lastRead, hidden);
            long unread = lastSeq > countFrom
                    ? parts.messages().unreadCounts(userId, Map.of(chat.id(), countFrom)).getOrDefault(chat.id(), 0L)
                    : 0;
            Map<String, Long> readBy = othersRead(chat, readSeqs, userId);
            List<String> here = visible.stream()
                    .filter(user -> !user.equals(userId) && online.getOrDefault(user, false)).toList();
            events.put(userId, new ServerEvent.ChatJoined(chat.id(), chat, lastSeq, lastRead, unread, readBy, here,
                    hidden));
        }
        return events;
    }

    /** The read seqs of the chat's other participants: a removed user's stored seq is left out. */
    private static Map<String, Long> othersRead(Chat chat, Map<String, Long> readSeqs, String userId) {
        Map<String, Long> others = new LinkedHashMap<>();
        readSeqs.forEach((reader, seq) -> {
            if (!reader.equals(userId) && chat.hasParticipant(reader)) {
                others.put(reader, seq);
            }
        });
        return others;
    }

    /** For each chat, the other participants online now who consented to it, so that the user may see them. */
    private Map<String, List<String>> online(String userId, Collection<Chat> chats) {
        Set<String> visible = new LinkedHashSet<>();
        chats.forEach(chat -> chat.participants().stream()
                .filter(user -> !user.equals(userId) && chat.hasAccepted(user)).forEach(visible::add));
        Map<String, Boolean> online = visible.isEmpty() ? Map.of() : parts.presence().online(visible);
        Map<String, List<String>> byChat = new LinkedHashMap<>();
        for (Chat chat : chats) {
            List<String> here = new ArrayList<>();
            chat.participants().stream()
                    .filter(user -> !user.equals(userId) && chat.hasAccepted(user) && online.getOrDefault(user, false))
                    .forEach(here::add);
            byChat.put(chat.id(), here);
        }
        return byChat;
    }

    /**
     * Per chat id: its newest seq, the user's read seq, its unread count, the others' read seqs, and who of the others
     * is online.
     */
    record States(Map<String, Long> lastSeqs, Map<String, Long> lastRead, Map<String, Long> unread,
                  Map<String, Map<String, Long>> readBy, Map<String, List<String>> online) {

        /**
         * The {@code chat_joined} event for one of these chats, whose newest seq is {@code seq}, of which the user
         * may not see what is at or below {@code hiddenThrough}.
         */
        ServerEvent.ChatJoined joined(Chat chat, long seq, long hiddenThrough) {
            return new ServerEvent.ChatJoined(chat.id(), chat, seq, lastRead.get(chat.id()), unread.get(chat.id()),
                    readBy.get(chat.id()), online.get(chat.id()), hiddenThrough);
        }
    }
}
