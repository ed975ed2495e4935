package dev.chatwire.benchmark;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.core.WebSocketComponents;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * An experiment, not a baseline: the bare server with its WebSocket on Jetty's core API instead of Jakarta WebSocket,
 * to measure what the Jakarta layer costs per connection. Same rooms, same REST servlet, same socket settings (64 KiB
 * messages, 60 s idle timeout, 20 s write timeout, no extension); configured by {@code CHAT_HOST} and
 * {@code CHAT_PORT} like {@link BareServer}.
 */
public final class BareCoreServer {

    private static final Logger log = LoggerFactory.getLogger(BareCoreServer.class);

    private BareCoreServer() {
    }

    /** Starts the server and waits until it is stopped. */
    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(env.getOrDefault("CHAT_HOST", "127.0.0.1"));
        connector.setPort(Integer.parseInt(env.getOrDefault("CHAT_PORT", "8080")));
        server.addConnector(connector);

        BareRooms rooms = new BareRooms();
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder("bare-api", new BareApiServlet(rooms)), "/api/*");

        WebSocketComponents components = WebSocketServerComponents.ensureWebSocketComponents(server);
        WebSocketUpgradeHandler webSockets = new WebSocketUpgradeHandler(components);
        webSockets.getConfiguration().setIdleTimeout(BareEndpoint.IDLE_TIMEOUT);
        webSockets.getConfiguration().setMaxTextMessageSize(BareEndpoint.MAX_TEXT_MESSAGE);
        webSockets.addMapping("/ws", (request, response, callback) -> {
            response.setExtensions(List.of());
            return new BareCoreSocket(rooms);
        });
        webSockets.setHandler(context);
        server.setHandler(webSockets);
        server.setStopAtShutdown(true);
        server.start();
        log.info("Bare Jetty core WebSocket server at http://{}:{}", connector.getHost(), connector.getLocalPort());
        server.join();
    }
}
