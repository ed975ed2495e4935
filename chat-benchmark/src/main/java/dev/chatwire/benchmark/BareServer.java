package dev.chatwire.benchmark;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * The physical limit Chatwire is measured against: the example server's container (embedded Jetty 12, ee10, Jakarta
 * WebSocket, the same connector, thread pool and socket settings) with a server that verifies nothing and stores
 * nothing. It takes the same client flow as Chatwire (the {@code connect} and {@code send} frames, {@code POST
 * /api/chats} and {@code POST /api/messages}) and broadcasts one pre-serialized {@code new_message} text per publish to
 * every socket of the room.
 *
 * <p>Configured like the example server: {@code CHAT_HOST} (127.0.0.1 unless set) and {@code CHAT_PORT} (8080 unless
 * set; 0 picks a free one). {@code CHAT_JWT_SECRET} is accepted and ignored: tokens are read, never verified.
 *
 * <p>For experiments on what a container setting costs, and only then, these change the bare server (unset, it has
 * the example server's settings): {@code BARE_MAX_THREADS} (the thread pool's maximum, Jetty's 200 unless set),
 * {@code BARE_BUFFER_POOL=none} (no buffer pooling), {@code BARE_INPUT_BUFFER} (the WebSocket read buffer, Jetty's 4096
 * unless set), {@code BARE_MAX_TEXT} (the largest text message, 65536 unless set), {@code BARE_SEND_TIMEOUT_MS}
 * (20000 unless set; 0 for none), {@code BARE_WRITES} ({@code at-once-after-lock} unless set; {@code at-once}: frames
 * handed to the container under the room's lock; {@code serial}: one frame in the container per socket at a time,
 * like Chatwire's single writer, under the lock; {@code serial-after-lock}: the same, after the lock, as Chatwire).
 */
public final class BareServer {

    private static final Logger log = LoggerFactory.getLogger(BareServer.class);

    private BareServer() {
    }

    /** Starts the bare server and waits until it is stopped. */
    public static void main(String[] args) throws Exception {
        Server server = start(System.getenv());
        server.join();
    }

    /** Starts the bare server on the host and port the environment names; the caller stops it. */
    static Server start(Map<String, String> env) throws Exception {
        String writes = env.get("BARE_WRITES");
        return start(env, writes == null ? new BareRooms() : new BareRooms(BareRooms.Writes.named(writes)));
    }

    /** Starts a bare server on these rooms. */
    static Server start(Map<String, String> env, BareRooms rooms) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("qtp-bare");
        if (env.containsKey("BARE_MAX_THREADS")) {
            threads.setMaxThreads(Integer.parseInt(env.get("BARE_MAX_THREADS")));
        }
        ByteBufferPool buffers = "none".equals(env.get("BARE_BUFFER_POOL")) ? ByteBufferPool.NON_POOLING : null;
        Server server = new Server(threads, null, buffers);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(env.getOrDefault("CHAT_HOST", "127.0.0.1"));
        connector.setPort(Integer.parseInt(env.getOrDefault("CHAT_PORT", "8080")));
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder("bare-api", new BareApiServlet(rooms)), "/api/*");
        JakartaWebSocketServletContainerInitializer.configure(context,
                (servletContext, container) -> container.addEndpoint(BareEndpoint.config("/ws", rooms,
                        BareEndpoint.Settings.from(env))));
        server.setHandler(context);
        server.setStopAtShutdown(true);
        server.start();
        log.info("Bare Jetty WebSocket server at http://{}:{} (WebSocket /ws, REST /api)", connector.getHost(),
                connector.getLocalPort());
        return server;
    }
}
