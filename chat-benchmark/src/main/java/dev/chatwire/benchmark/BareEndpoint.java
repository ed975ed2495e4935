package dev.chatwire.benchmark;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.SendHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;

import java.time.Duration;
import java.util.List;

/**
 * The bare server's WebSocket endpoint, with the container settings of Chatwire's endpoint: 64 KiB text messages, a
 * 60 s idle timeout, a 20 s send timeout, no sub-protocol and no extension (so no permessage-deflate). Public because
 * the container requires it.
 */
public final class BareEndpoint extends Endpoint implements BareSocket {

    /** Chatwire's {@code ChatLimits.maxFrameChars()} default. */
    static final int MAX_TEXT_MESSAGE = 64 * 1024;
    /** Chatwire's {@code SocketSettings} default idle timeout. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);
    /**
     * The container's send timeout on Chatwire's endpoints: twice the {@code SocketSettings} default of 10 s, a
     * backstop to Chatwire's own. The same here because Jetty's cost of it grows with it: every write that finds a
     * socket's flusher idle schedules a timer task that lives that long.
     */
    static final Duration SEND_TIMEOUT = Duration.ofSeconds(20);

    private static final SendHandler IGNORE_RESULT = result -> { };

    private final BareRooms rooms;
    private volatile Session session;
    private volatile String userId;
    private Object attachment;

    BareEndpoint(BareRooms rooms) {
        this.rooms = rooms;
    }

    /** The endpoint's registration at {@code path}. */
    static ServerEndpointConfig config(String path, BareRooms rooms) {
        return ServerEndpointConfig.Builder.create(BareEndpoint.class, path)
                .configurator(new Configurator(rooms))
                .build();
    }

    /** Applies the socket settings and routes text frames to the rooms. */
    @Override
    public void onOpen(Session session, EndpointConfig config) {
        this.session = session;
        session.setMaxTextMessageBufferSize(MAX_TEXT_MESSAGE);
        session.setMaxIdleTimeout(IDLE_TIMEOUT.toMillis());
        session.getAsyncRemote().setSendTimeout(SEND_TIMEOUT.toMillis());
        session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> rooms.onText(this, text));
    }

    /** Forgets the socket. */
    @Override
    public void onClose(Session session, CloseReason closeReason) {
        rooms.disconnect(this);
    }

    /** Forgets the socket if the failure closed it. */
    @Override
    public void onError(Session session, Throwable failure) {
        if (!session.isOpen()) {
            rooms.disconnect(this);
        }
    }

    /** The container's id of the socket. */
    @Override
    public String id() {
        return session.getId();
    }

    /** The user the socket signed in as, or null. */
    @Override
    public String userId() {
        return userId;
    }

    /** Records the user the socket signed in as. */
    @Override
    public void userId(String user) {
        this.userId = user;
    }

    /** Sends through the async remote, which queues in the container without a bound. */
    @Override
    public void send(String text) {
        try {
            session.getAsyncRemote().sendText(text, IGNORE_RESULT);
        } catch (RuntimeException closed) {
            // The socket closed under us; its close handler forgets it.
        }
    }

    /** The rooms' per-socket state. */
    @Override
    public Object attachment() {
        return attachment;
    }

    /** Sets the rooms' per-socket state. */
    @Override
    public void attachment(Object value) {
        this.attachment = value;
    }

    /** Accepts every origin, negotiates nothing, and makes one endpoint per socket; never calls {@code super}. */
    private static final class Configurator extends ServerEndpointConfig.Configurator {
        private final BareRooms rooms;

        Configurator(BareRooms rooms) {
            this.rooms = rooms;
        }

        @Override
        public boolean checkOrigin(String originHeaderValue) {
            return true;
        }

        @Override
        public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
            return "";
        }

        @Override
        public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
            return List.of();
        }

        @Override
        public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
            // Nothing to keep: the token comes in the connect frame.
        }

        @Override
        public <T> T getEndpointInstance(Class<T> endpointClass) {
            return endpointClass.cast(new BareEndpoint(rooms));
        }
    }
}
