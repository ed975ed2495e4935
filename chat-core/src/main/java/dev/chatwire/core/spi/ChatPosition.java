package dev.chatwire.core.spi;

/**
 * Where a chat stands for one user, as {@link MessageStore#positions} answers: its newest seq and how many of its
 * messages the user has not read.
 *
 * @param lastSeq the highest seq of the chat's timeline, of a message or a change; 0 if it has none
 * @param unread  messages of others, not deleted, above the seq the count started after
 */
public record ChatPosition(long lastSeq, long unread) {
}
