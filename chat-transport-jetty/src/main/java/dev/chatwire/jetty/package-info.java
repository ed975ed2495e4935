/**
 * Puts a {@link dev.chatwire.core.ChatEngine} on the wire in embedded Jetty 12 through Jetty's core WebSocket API:
 * {@link dev.chatwire.jetty.ChatWebSocketHandler} upgrades the socket's path and wraps the host's other handlers (the
 * REST servlet of {@code chat-transport-jakarta}, pages). It skips the Jakarta WebSocket layer, whose per-session
 * objects cost several kilobytes per idle connection.
 */
package dev.chatwire.jetty;
