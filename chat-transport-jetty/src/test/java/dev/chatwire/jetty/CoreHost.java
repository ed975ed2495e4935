package dev.chatwire.jetty;

import dev.chatwire.core.ChatEngine;
import dev.chatwire.core.SocketSettings;
import dev.chatwire.jakarta.ChatServlet;
import dev.chatwire.jakarta.TestServer;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;

import java.net.InetSocketAddress;

/**
 * Hosts the transport as an embedded Jetty application would: the socket handler in front of an ee10 context that
 * serves the REST servlet at {@code /api/*}, on a free port of 127.0.0.1.
 */
final class CoreHost implements TestServer {

    private final Server server;
    private final ChatWebSocketHandler sockets;

    private CoreHost(Server server, ChatWebSocketHandler sockets) {
        this.server = server;
        this.sockets = sockets;
    }

    /** Starts a server whose socket handler serves this engine with these rules. */
    static CoreHost start(ChatEngine engine, SocketSettings settings) throws Exception {
        Server server = new Server(new InetSocketAddress("127.0.0.1", 0));
        ServletContextHandler rest = new ServletContextHandler("/");
        ServletHolder api = rest.addServlet(new ChatServlet(engine), "/api/*");
        api.setAsyncSupported(true);
        api.getRegistration().setMultipartConfig(ChatServlet.multipartConfig(engine.limits()));
        ChatWebSocketHandler sockets = ChatWebSocketHandler.create(engine, settings, server);
        sockets.setHandler(rest);
        server.setHandler(sockets);
        server.start();
        return new CoreHost(server, sockets);
    }

    ChatWebSocketHandler sockets() {
        return sockets;
    }

    @Override
    public int port() {
        return ((NetworkConnector) server.getConnectors()[0]).getLocalPort();
    }

    @Override
    public void stop() throws Exception {
        server.stop();
    }
}
