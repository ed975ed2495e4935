package dev.chatwire.jakarta;

import dev.chatwire.core.ClientSession;
import dev.chatwire.core.CloseCodes;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * The programmatic Jakarta WebSocket endpoint that puts one client socket on a {@link dev.chatwire.core.ChatEngine}.
 * Hosts do not create it: they register {@link ChatEndpointConfig#serverEndpointConfig()}, whose configurator makes
 * one instance per socket. The container calls it one event at a time per socket.
 */
public final class ChatEndpoint extends Endpoint {

    private static final Logger log = LoggerFactory.getLogger(ChatEndpoint.class);
    private static final String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

    private final ChatEndpointConfig config;
    private volatile JakartaConnection connection;
    private volatile ClientSession client;

    ChatEndpoint(ChatEndpointConfig config) {
        this.config = config;
    }

    /** Hands the new socket to the engine and, when the handshake carried a token, authenticates it at once. */
    @Override
    public void onOpen(Session session, EndpointConfig endpointConfig) {
        Object token = endpointConfig.getUserProperties().remove(HandshakeConfigurator.TOKEN_PROPERTY);
        session.getUserProperties().remove(HandshakeConfigurator.TOKEN_PROPERTY);
        Object peer = endpointConfig.getUserProperties().remove(HandshakeConfigurator.PEER_PROPERTY);
        session.setMaxTextMessageBufferSize(config.engine().limits().maxFrameChars());
        session.setMaxIdleTimeout(config.settings().idleTimeout().toMillis());
        // The housekeeper closes a stuck send with 4408 after the send timeout; the container's own timer is a
        // backstop that drops the connection if even that close frame cannot get out. Were they equal, the
        // container's would often fire first, and the client would see the connection dropped (1006), not told why.
        session.getAsyncRemote().setSendTimeout(config.settings().sendTimeout().multipliedBy(2).toMillis());
        // Tomcat's own bound on the calls the Jakarta API makes blocking (ping, close); other containers ignore it.
        session.getUserProperties().put(TOMCAT_BLOCKING_SEND_TIMEOUT, config.settings().sendTimeout().toMillis());

        JakartaConnection socket = new JakartaConnection(session, config,
                peer instanceof InetAddress address ? address : null);
        ClientSession engineSide = config.engine().open(socket);
        socket.bind(engineSide);
        this.connection = socket;
        this.client = engineSide;

        session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> {
            socket.touch();
            engineSide.onText(text);
        });
        session.addMessageHandler(ByteBuffer.class, (MessageHandler.Whole<ByteBuffer>) data ->
                socket.abort(CloseCodes.UNSUPPORTED_DATA, "binary frames are not supported"));
        session.addMessageHandler(PongMessage.class, (MessageHandler.Whole<PongMessage>) pong -> socket.touch());
        if (token instanceof String bearer) {
            engineSide.authenticate(bearer, Map.of());
        }
    }

    /** Releases what the socket held in the engine. */
    @Override
    public void onClose(Session session, CloseReason closeReason) {
        release();
    }

    /** Logs the failure; the container closes the socket (and calls {@link #onClose}) when it is fatal. */
    @Override
    public void onError(Session session, Throwable failure) {
        ClientSession engineSide = client;
        log.debug("socket {}: {}", engineSide == null ? "(opening)" : engineSide.id(), failure.toString());
        if (!session.isOpen()) {
            release();
        }
    }

    private void release() {
        JakartaConnection socket = connection;
        ClientSession engineSide = client;
        if (engineSide != null) {
            engineSide.onClose();
        }
        if (socket != null) {
            socket.closedByContainer();
        }
    }
}
