package dev.chatwire.core;

import java.time.Instant;
import java.util.Objects;

/**
 * A chat and when it last had a message (or was created, if it has none): what a chat list is ordered by, newest
 * first, then by chat id from the highest.
 *
 * @param chat       the chat
 * @param activityAt its newest activity
 */
public record ChatActivity(Chat chat, Instant activityAt) {

    /** Requires both. */
    public ChatActivity {
        Objects.requireNonNull(chat, "chat");
        Objects.requireNonNull(activityAt, "activityAt");
    }

    /** Where this chat stands in a chat list: a page that ends here goes on after it. */
    public Position position() {
        return new Position(activityAt, chat.id());
    }

    /**
     * A place in a chat list: the chats after it have older activity, or the same and a lower id.
     *
     * @param activityAt the activity of the chat the place is at
     * @param chatId     that chat's id
     */
    public record Position(Instant activityAt, String chatId) {

        /** Requires both. */
        public Position {
            Objects.requireNonNull(activityAt, "activityAt");
            Validate.notBlank(chatId, "chatId");
        }

        /** Whether a chat with this activity and id comes after this place in the list. */
        public boolean isFollowedBy(Instant otherActivity, String otherChatId) {
            int byTime = otherActivity.compareTo(activityAt);
            return byTime < 0 || byTime == 0 && otherChatId.compareTo(chatId) < 0;
        }
    }
}
