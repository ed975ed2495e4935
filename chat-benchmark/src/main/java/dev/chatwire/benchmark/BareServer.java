package dev.chatwire.benchmark;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The physical limit Chatwire is measured against: the example server's container (embedded Jetty 12, ee10, the same
 * connector, thread pool and socket settings) with a server that verifies nothing and stores nothing. It takes the
 * same client flow as Chatwire (the {@code connect} and {@code send} frames, {@code POST /api/chats} and {@code POST
 * /api/messages}) and broadcasts one pre-serialized {@code new_message} text per publish to every socket of the room.
 *
 * <p>Configured like the example server: {@code CHAT_HOST} (127.0.0.1 unless set), {@code CHAT_PORT} (8080 unless
 * set; 0 picks a free one), and {@code CHAT_WEBSOCKET=jetty} for its socket on Jetty's core WebSocket API
 * ({@link BareCoreSocket}) instead of Jakarta WebSocket ({@link BareEndpoint}). {@code CHAT_JWT_SECRET} is accepted
 * and ignored: tokens are read, never verified.
 */
public final class BareServer {

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

    private static final Logger log = LoggerFactory.getLogger(BareServer.class);

    private BareServer() {
    }

    /** Starts the bare server and waits until it is stopped. */
    public static void main(String[] args) throws Exception {
        start(System.getenv(), new BareRooms()).join();
    }

    /** Starts a bare server on these rooms, on the host, port and WebSocket API the environment names. */
    static Server start(Map<String, String> env, BareRooms rooms) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("qtp-bare");
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(env.getOrDefault("CHAT_HOST", "127.0.0.1"));
        connector.setPort(Integer.parseInt(env.getOrDefault("CHAT_PORT", "8080")));
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder("bare-api", new BareApiServlet(rooms)), "/api/*");
        boolean coreApi = "jetty".equals(env.get("CHAT_WEBSOCKET"));
        if (coreApi) {
            WebSocketUpgradeHandler webSockets = new WebSocketUpgradeHandler(
                    WebSocketServerComponents.ensureWebSocketComponents(server));
            webSockets.getConfiguration().setIdleTimeout(IDLE_TIMEOUT);
            webSockets.getConfiguration().setMaxTextMessageSize(MAX_TEXT_MESSAGE);
            webSockets.addMapping("/ws", (request, response, callback) -> {
                response.setExtensions(List.of()); // No permessage-deflate, as on the Jakarta endpoint.
                return new BareCoreSocket(rooms);
            });
            webSockets.setHandler(context);
            server.setHandler(webSockets);
        } else {
            JakartaWebSocketServletContainerInitializer.configure(context,
                    (servletContext, container) -> container.addEndpoint(BareEndpoint.config("/ws", rooms)));
            server.setHandler(context);
        }
        server.setStopAtShutdown(true);
        server.start();
        log.info("Bare Jetty WebSocket server at http://{}:{} (WebSocket /ws on {}, REST /api)", connector.getHost(),
                connector.getLocalPort(), coreApi ? "Jetty's core API" : "Jakarta");
        return server;
    }
}
