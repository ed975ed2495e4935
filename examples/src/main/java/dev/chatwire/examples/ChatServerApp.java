package dev.chatwire.examples;

import dev.chatwire.jakarta.ChatServlet;
import dev.chatwire.jetty.ChatWebSocketHandler;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example chat server on embedded Jetty 12 (ee10), on the in-memory adapters: the REST API at {@code /api/*}, the
 * WebSocket at {@code /ws}, the demo page at {@code /} and the demo-only sign-in at {@code /demo/token}. Configured by
 * environment variables, see {@link ServerSettings}; {@code CHAT_WEBSOCKET=jetty} serves the socket through Jetty's
 * core WebSocket API ({@link ChatWebSocketHandler}) instead of Jakarta WebSocket, with the same path, origins and
 * rules.
 *
 * <pre>
 * mvn -q -pl examples -am package -DskipTests -Prun
 * </pre>
 */
public final class ChatServerApp {

    private static final Logger log = LoggerFactory.getLogger(ChatServerApp.class);

    private ChatServerApp() {
    }

    /** Starts the server and waits until it is stopped (Ctrl-C). */
    public static void main(String[] args) throws Exception {
        RunningServer server = start(ServerSettings.fromEnvironment(System.getenv()));
        server.join();
    }

    static RunningServer start(ServerSettings settings) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        server.addConnector(connector);
        // Bound before anything else is built: the default allowed origins name the real port.
        connector.open();
        ChatApplication app = ChatApplication.create(settings, connector.getLocalPort());

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder api = new ServletHolder("chatwire-api", app.api());
        api.getRegistration().setMultipartConfig(ChatServlet.multipartConfig(app.engine().limits()));
        context.addServlet(api, "/api/*");
        context.addServlet(new ServletHolder("demo-token", app.demoTokens()), "/demo/token");
        context.addServlet(new ServletHolder("page", app.page()), "/");
        if (settings.webSocket() == ServerSettings.WebSocketApi.JETTY) {
            ChatWebSocketHandler sockets = ChatWebSocketHandler.create(app.engine(), app.sockets(), server);
            sockets.setHandler(context);
            server.setHandler(sockets);
        } else {
            JakartaWebSocketServletContainerInitializer.configure(context,
                    (servletContext, container) -> app.jakartaEndpoint().register(container));
            server.setHandler(context);
        }
        server.setStopAtShutdown(true);
        server.start();

        RunningServer running = new RunningServer() {
            @Override
            public int port() {
                return connector.getLocalPort();
            }

            @Override
            public void join() throws InterruptedException {
                server.join();
            }

            @Override
            public void stop() throws Exception {
                app.close();
                server.stop();
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "chatwire-shutdown"));
        boolean jettyCore = settings.webSocket() == ServerSettings.WebSocketApi.JETTY;
        Banner.print(log, jettyCore ? "Jetty (core WebSocket)" : "Jetty", running, settings, app);
        return running;
    }
}
