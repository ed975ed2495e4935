package dev.chatwire.client;

/**
 * A message was edited, deleted or reacted to. The change is an entry of its chat's timeline at its own
 * {@code seq}, after the message's: it is delivered once, in seq order with the chat's new messages, and resumed like
 * them after a reconnect.
 *
 * @param chatId  the chat
 * @param seq     the change's place in the chat's timeline
 * @param message the message's whole state now: replace what is shown, never merge
 */
public record MessageUpdate(String chatId, long seq, Message message) {
}
