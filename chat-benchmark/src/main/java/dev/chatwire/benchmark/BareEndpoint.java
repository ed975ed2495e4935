package dev.chatwire.benchmark;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Extension;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;

import java.util.List;

/**
 * The bare server's socket on Jakarta WebSocket, with the session settings of Chatwire's endpoint. Public because the
 * container requires it.
 */
public final class BareEndpoint extends Endpoint {

    private final BareRooms rooms;
    private volatile BareSocket socket;

    private BareEndpoint(BareRooms rooms) {
        this.rooms = rooms;
    }

    /** The endpoint at {@code path}: no extension (so no permessage-deflate), and no sub-protocol as it names none. */
    static ServerEndpointConfig config(String path, BareRooms rooms) {
        return ServerEndpointConfig.Builder.create(BareEndpoint.class, path)
                .configurator(new ServerEndpointConfig.Configurator() {
                    @Override
                    public List<Extension> getNegotiatedExtensions(List<Extension> installed,
                                                                   List<Extension> requested) {
                        return List.of();
                    }

                    @Override
                    public <T> T getEndpointInstance(Class<T> endpointClass) {
                        return endpointClass.cast(new BareEndpoint(rooms));
                    }
                })
                .build();
    }

    /** Applies the socket settings and routes text messages to the rooms. */
    @Override
    public void onOpen(Session session, EndpointConfig config) {
        session.setMaxTextMessageBufferSize(BareServer.MAX_TEXT_MESSAGE);
        session.setMaxIdleTimeout(BareServer.IDLE_TIMEOUT.toMillis());
        RemoteEndpoint.Async remote = session.getAsyncRemote();
        remote.setSendTimeout(BareServer.SEND_TIMEOUT.toMillis());
        BareSocket opened = new BareSocket(session.getId()) {
            @Override
            void write(String text) {
                try {
                    // Queues in the container without a bound; nobody waits for the result.
                    remote.sendText(text, result -> { });
                } catch (RuntimeException closed) {
                    // The socket closed under us; onClose forgets it.
                }
            }
        };
        socket = opened;
        session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> rooms.onText(opened, text));
    }

    /** Forgets the socket; Jetty calls it however the socket ended, an error included. */
    @Override
    public void onClose(Session session, CloseReason closeReason) {
        rooms.disconnect(socket);
    }
}
