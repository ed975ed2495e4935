package dev.chatwire.jetty;

import dev.chatwire.core.ChatEngine;
import dev.chatwire.core.SocketSettings;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.ExtensionConfig;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * Chatwire's WebSocket endpoint as a Jetty 12 handler, on Jetty's core WebSocket API rather than Jakarta WebSocket:
 * it upgrades requests for its path and passes every other request to the handler it wraps.
 *
 * <pre>{@code
 * SocketSettings settings = SocketSettings.builder()
 *         .allowedOrigins("https://chat.example.com")
 *         .build();
 * ChatWebSocketHandler sockets = ChatWebSocketHandler.create(engine, settings, server);
 * sockets.setHandler(servletContext);   // the rest of the application, e.g. ChatServlet at /api/*
 * server.setHandler(sockets);
 * ...
 * engine.close();                       // closes every socket with 1001
 * server.stop();                        // stops the handler and its timer
 * }</pre>
 *
 * <p>The handshake and socket rules are the {@link SocketSettings}' (origins, header and query tokens, compression,
 * pings, idle and send timeouts), the same as on the Jakarta transport, so a host can switch between the two without
 * its clients noticing. Besides: a binary frame closes the socket with 1003, and a text message longer than the
 * engine's {@link dev.chatwire.core.ChatLimits#maxFrameChars()}, counted in UTF-8 bytes (at least as strict as the
 * same bound in characters), closes it with 1009. The engine's own close codes are listed in
 * {@link dev.chatwire.core.CloseCodes}.
 *
 * <p>What a socket costs on top of Jetty's and the engine's own objects: one object of this module and an entry in
 * one set, and no timer, map or buffer of its own; one timer thread per handler visits every socket a few times per
 * ping interval. Jetty's own knobs (buffer sizes, the message size limit, and the idle timeout set here) stay reachable
 * through {@link #getConfiguration()}. Thread-safe.
 */
public final class ChatWebSocketHandler extends WebSocketUpgradeHandler {

    private static final String PERMESSAGE_DEFLATE = "permessage-deflate";

    private final ChatEngine engine;
    private final SocketSettings settings;
    private final SocketSweep sweep;

    private ChatWebSocketHandler(ChatEngine engine, SocketSettings settings, Server server) {
        super(WebSocketServerComponents.ensureWebSocketComponents(server));
        this.engine = engine;
        this.settings = settings;
        this.sweep = new SocketSweep(settings);
        // Jetty's idle timeout is a backstop: pings count as traffic for it, so the sweep is what closes a mute peer.
        getConfiguration().setIdleTimeout(settings.idleTimeout());
        getConfiguration().setMaxTextMessageSize(engine.limits().maxFrameChars());
        addBean(sweep, true);
        addMapping(settings.path(), this::negotiate);
    }

    /**
     * The socket handler of this engine with these rules, for this server, whose buffer pool and executor its sockets
     * share. Set the handler it wraps with {@link #setHandler}; its timer starts and stops with it.
     */
    public static ChatWebSocketHandler create(ChatEngine engine, SocketSettings settings, Server server) {
        return new ChatWebSocketHandler(Objects.requireNonNull(engine, "engine"),
                Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(server, "server"));
    }

    /** The rules this handler applies, its path among them. */
    public SocketSettings settings() {
        return settings;
    }

    /** How many sockets of this handler are open, authenticated or not. */
    public int openSockets() {
        return sweep.size();
    }

    ChatEngine engine() {
        return engine;
    }

    /**
     * How long Jetty lets one of our frames wait to be written before it drops the connection: twice the send timeout.
     * The sweep closes a stuck send with 4408 after the send timeout; this is the backstop for when even that close
     * frame cannot get out, since it queues behind the stuck frames. (Jetty 12.1 sets write timeouts per frame.)
     */
    long frameWriteTimeoutMillis() {
        return settings.sendTimeout().multipliedBy(2).toMillis();
    }

    SocketSweep sweep() {
        return sweep;
    }

    /** Applies the handshake rules; returns the socket, or null after answering 403. */
    private FrameHandler negotiate(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
        if (!settings.allowsOrigin(request.getHeaders().get(HttpHeader.ORIGIN))) {
            Response.writeError(request, response, callback, HttpStatus.FORBIDDEN_403, "origin not allowed");
            return null;
        }
        List<ExtensionConfig> extensions = settings.permessageDeflate()
                ? response.getExtensions().stream().filter(e -> PERMESSAGE_DEFLATE.equals(e.getName())).toList()
                : List.of();
        response.setExtensions(extensions);
        return new JettyConnection(this, handshakeToken(request), peerAddress(request));
    }

    /**
     * The client's address as the connection reports it: the peer's, or the forwarded client's when the connector
     * has a {@code ForwardedRequestCustomizer}.
     */
    private static InetAddress peerAddress(Request request) {
        return request.getConnectionMetaData().getRemoteSocketAddress() instanceof InetSocketAddress socket
                ? socket.getAddress() : null;
    }

    /** The token of the first {@code Authorization: Bearer} header or, when allowed, of the query; else null. */
    private String handshakeToken(Request request) {
        String token = SocketSettings.bearerToken(request.getHeaders().getValuesList(HttpHeader.AUTHORIZATION));
        if (token == null && settings.tokenInQuery()) {
            String query = Request.extractQueryParameters(request).getValue(SocketSettings.TOKEN_QUERY_PARAMETER);
            if (query != null && !query.isBlank()) {
                token = query;
            }
        }
        return token;
    }
}
