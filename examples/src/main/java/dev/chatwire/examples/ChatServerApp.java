package dev.chatwire.examples;

import dev.chatwire.core.ChatEngineBuilder;
import dev.chatwire.jakarta.ChatServlet;
import dev.chatwire.jetty.ChatWebSocketHandler;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.EagerContentHandler;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumSet;
import java.util.Locale;
import java.util.function.UnaryOperator;

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
    /** The most of a JSON body Jetty gathers before the servlet runs; larger ones are refused by the servlet anyway. */
    private static final long MAX_EAGER_BODY_BYTES = 256 * 1024;

    private ChatServerApp() {
    }

    /** Starts the server and waits until it is stopped (Ctrl-C). */
    public static void main(String[] args) throws Exception {
        RunningServer server = start(ServerSettings.fromEnvironment(System.getenv()));
        server.join();
    }

    /**
     * Reads every request body but uploads without a thread, before the servlets run: a servlet's blocking read
     * would hold a pool thread for as long as a slow client takes, and a few hundred of them would hold them all.
     * Uploads are left to the servlet, which refuses a non-member's before reading any of it.
     */
    private static Handler.Wrapper eagerBodies() {
        EagerContentHandler eager = new EagerContentHandler(
                new EagerContentHandler.RetainedContentLoaderFactory(MAX_EAGER_BODY_BYTES, 0, false));
        eager.exclude(request -> {
            String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
            return type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/");
        });
        return eager;
    }

    static RunningServer start(ServerSettings settings) throws Exception {
        return start(settings, UnaryOperator.identity());
    }

    /** Starts a server whose engine also gets the host's hooks; see {@link ChatApplication#create}. */
    static RunningServer start(ServerSettings settings, UnaryOperator<ChatEngineBuilder> hooks) throws Exception {
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // No minimum request data rate: Jetty measures it from a body's first byte and checks it on every read, even
        // once the whole body is in, so a small body read after waiting for a pool thread under load failed with 408
        // (the benchmark saw chat creations refused so). Bodies are read ahead without a thread (eagerBodies) and
        // bounded by the servlet's body timeout; uploads by the idle timeout and the per-user upload rate.
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        server.addConnector(connector);
        // Bound before anything else is built: the default allowed origins name the real port.
        connector.open();
        ChatApplication app = ChatApplication.create(settings, connector.getLocalPort(), hooks);

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        // Jetty's multipart parser stops at this many parts, as the servlet would refuse more.
        context.setMaxFormKeys(ChatServlet.maxPartCount(app.engine().limits()));
        context.addFilter(new FilterHolder(app.hostAllowList()), "/*", EnumSet.of(DispatcherType.REQUEST));
        ServletHolder api = new ServletHolder("chatwire-api", app.api());
        // Both servlets read JSON bodies without holding a pool thread while they arrive, which needs async support.
        api.setAsyncSupported(true);
        api.getRegistration().setMultipartConfig(ChatServlet.multipartConfig(app.engine().limits()));
        context.addServlet(api, "/api/*");
        ServletHolder demoTokens = new ServletHolder("demo-token", app.demoTokens());
        demoTokens.setAsyncSupported(true);
        context.addServlet(demoTokens, "/demo/token");
        context.addServlet(new ServletHolder("page", app.page()), "/");
        Handler.Wrapper bodiesFirst = eagerBodies();
        bodiesFirst.setHandler(context);
        if (settings.webSocket() == ServerSettings.WebSocketApi.JETTY) {
            ChatWebSocketHandler sockets = ChatWebSocketHandler.create(app.engine(), app.sockets(), server);
            sockets.setHandler(bodiesFirst);
            server.setHandler(sockets);
        } else {
            JakartaWebSocketServletContainerInitializer.configure(context,
                    (servletContext, container) -> app.jakartaEndpoint().register(container));
            server.setHandler(bodiesFirst);
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
