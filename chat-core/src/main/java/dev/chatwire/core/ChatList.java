package dev.chatwire.core;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.chatwire.core.RequestFailures.guarded;

/**
 * A user's chats ordered by their newest activity, a page at a time. A page costs a fixed number of store calls
 * whatever its size and however many chats the user has: the page of chats in activity order (one indexed query,
 * {@link dev.chatwire.core.spi.ChatStore#chatsByActivity}), their newest messages, their read seqs and the unread
 * counts (one call each).
 */
final class ChatList {

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
        ChatActivity.Position after = before == null ? null : Cursor.parse(before);
        return guarded(() -> {
            // One more than the page: whether there is a next page, without a call of its own.
            List<ChatActivity> found = parts.chats().chatsByActivity(user.userId(), after, limit + 1);
            List<ChatActivity> page = found.subList(0, Math.min(limit, found.size()));
            List<Chat> chats = page.stream().map(ChatActivity::chat).toList();
            Map<String, Message> newest = new HashMap<>(
                    parts.messages().newest(chats.stream().map(Chat::id).toList()));
            // With history from join, a message older than the user's joining is not shown as the chat's newest.
            chats.forEach(chat -> newest.computeIfPresent(chat.id(), (chatId, message) ->
                    message.seq() > HistoryVisibility.hiddenThrough(parts.policy(), chat, user.userId())
                            ? message : null));
            ChatStates.States read = states.of(user.userId(), chats);
            List<ChatSummary> summaries = page.stream().map(entry -> {
                String chatId = entry.chat().id();
                return new ChatSummary(entry.chat(), newest.get(chatId), read.lastRead().get(chatId),
                        read.unread().get(chatId), read.readBy().get(chatId), entry.activityAt());
            }).toList();
            String next = found.size() > limit ? Cursor.of(page.get(page.size() - 1).position()) : null;
            return new ChatPage(summaries, next);
        });
    }

    /** A place in the list as clients pass it: {@code <epoch millis>_<chat id>}. */
    private static final class Cursor {

        static String of(ChatActivity.Position position) {
            return position.activityAt().toEpochMilli() + "_" + position.chatId();
        }

        static ChatActivity.Position parse(String text) {
            int separator = text.indexOf('_');
            try {
                if (separator < 1 || separator == text.length() - 1) {
                    throw new NumberFormatException();
                }
                return new ChatActivity.Position(Instant.ofEpochMilli(Long.parseLong(text.substring(0, separator))),
                        text.substring(separator + 1));
            } catch (NumberFormatException e) {
                throw new ChatException(ErrorCode.INVALID, "malformed cursor");
            }
        }
    }
}
