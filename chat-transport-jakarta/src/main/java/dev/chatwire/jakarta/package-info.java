/**
 * Puts a {@link dev.chatwire.core.ChatEngine} on the wire in any Jakarta container: {@link
 * dev.chatwire.jakarta.ChatEndpointConfig} registers the WebSocket endpoint, {@link dev.chatwire.jakarta.ChatServlet}
 * serves the REST API. Compiled against the Jakarta WebSocket and Servlet APIs, which the container provides.
 */
package dev.chatwire.jakarta;
