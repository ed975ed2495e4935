package dev.chatwire.core;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.chatwire.core.RequestFailures.guarded;

/**
 * A user's chats ordered by their newest activity, a page at a time. A page costs a fixed number of store calls
 * whatever its size: the user's chats, their newest messages, then for the page only the read seqs and the unread
 * counts (one call each). The ordering is made here, from every chat of the user, not by an index: fine for the
 * hundreds of chats a user takes part in, not for tens of thousands.
 */
final class ChatList {

    private static final Comparator<ChatSummary> NEWEST_FIRST = Comparator
            .comparing(ChatSummary::activityAt, Comparator.reverseOrder())
            .thenComparing(summary -> summary.chat().id(), Comparator.reverseOrder());

    private final EngineParts parts;
    private final ChatStates states;

    ChatList(EngineParts parts, ChatStates states) {
        this.parts = parts;
        this.states = states;
    }

    /** See {@link ChatEngine#chatList}. */
    ChatPage page(Principal user, String before, int limit) {
        int maxPage = parts.limits().maxHistoryPage();
        if (limit < 1 || limit > maxPage) {
            throw new ChatException(ErrorCode.INVALID, "limit must be 1 to " + maxPage);
        }
        Cursor after = before == null ? null : Cursor.parse(before);
        return guarded(() -> {
            List<Chat> chats = parts.chats().chatsOf(user.userId());
            Map<String, Message> newest = parts.messages().newest(chats.stream().map(Chat::id).toList());
            List<ChatSummary> ordered = chats.stream()
                    .map(chat -> bare(chat, newest.get(chat.id())))
                    .filter(summary -> after == null || after.isBefore(summary))
                    .sorted(NEWEST_FIRST)
                    .toList();
            List<ChatSummary> page = ordered.subList(0, Math.min(limit, ordered.size()));
            List<Chat> pageChats = page.stream().map(ChatSummary::chat).toList();
            // Only whether a chat has messages matters here: one without needs no count.
            Map<String, Long> lastSeqs = page.stream().collect(Collectors.toMap(summary -> summary.chat().id(),
                    summary -> summary.lastMessage() == null ? 0L : Long.MAX_VALUE));
            ChatStates.States read = states.of(user.userId(), pageChats, lastSeqs);
            List<ChatSummary> summaries = page.stream().map(summary -> new ChatSummary(summary.chat(),
                    summary.lastMessage(), read.lastRead().get(summary.chat().id()),
                    read.unread().get(summary.chat().id()), read.readBy().get(summary.chat().id()),
                    summary.activityAt())).toList();
            String next = ordered.size() > page.size() ? Cursor.of(page.get(page.size() - 1)) : null;
            return new ChatPage(summaries, next);
        });
    }

    private static ChatSummary bare(Chat chat, Message newest) {
        Instant activity = newest == null || newest.createdAt().isBefore(chat.createdAt())
                ? chat.createdAt() : newest.createdAt();
        return new ChatSummary(chat, newest, 0, 0, Map.of(), activity);
    }

    /** Where a page ended: the last chat's activity time and id, as {@code <epoch millis>_<chat id>}. */
    private record Cursor(long activityMillis, String chatId) {

        static String of(ChatSummary summary) {
            return summary.activityAt().toEpochMilli() + "_" + summary.chat().id();
        }

        static Cursor parse(String text) {
            int separator = text.indexOf('_');
            try {
                if (separator < 1 || separator == text.length() - 1) {
                    throw new NumberFormatException();
                }
                return new Cursor(Long.parseLong(text.substring(0, separator)), text.substring(separator + 1));
            } catch (NumberFormatException e) {
                throw new ChatException(ErrorCode.INVALID, "malformed cursor");
            }
        }

        /** Whether the chat comes after this cursor in the list (older activity, or as old and a lower id). */
        boolean isBefore(ChatSummary summary) {
            long activity = summary.activityAt().toEpochMilli();
            return activity < activityMillis
                    || activity == activityMillis && summary.chat().id().compareTo(chatId) < 0;
        }
    }
}
