package dev.chatwire.jakarta;

import dev.chatwire.core.ChatEngine;
import dev.chatwire.core.SocketSettings;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Hosts the transport on embedded Jetty 12 (ee10), as a Jetty application would. */
final class JettyHost {

    private JettyHost() {
    }

    static TestServer start(ChatEngine engine, SocketSettings settings) throws Exception {
        return start(engine, settings, new ChatServlet(engine), new QueuedThreadPool());
    }

    /** Serves this servlet at {@code /api/*}, its requests on a pool of at most {@code maxThreads}. */
    static TestServer start(ChatEngine engine, SocketSettings settings, ChatServlet servlet, int maxThreads)
            throws Exception {
        return start(engine, settings, servlet, new QueuedThreadPool(maxThreads));
    }

    private static TestServer start(ChatEngine engine, SocketSettings settings, ChatServlet servlet,
                                    QueuedThreadPool threads) throws Exception {
        ChatEndpointConfig endpoint = ChatEndpointConfig.create(engine, settings);
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder api = new ServletHolder("chatwire-api", servlet);
        api.setAsyncSupported(true);
        api.getRegistration().setMultipartConfig(ChatServlet.multipartConfig(engine.limits()));
        context.addServlet(api, "/api/*");
        JakartaWebSocketServletContainerInitializer.configure(context,
                (servletContext, container) -> endpoint.register(container));
        server.setHandler(context);
        server.start();
        int port = connector.getLocalPort();
        return new TestServer() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public void stop() throws Exception {
                server.stop();
                endpoint.close();
            }
        };
    }
}
