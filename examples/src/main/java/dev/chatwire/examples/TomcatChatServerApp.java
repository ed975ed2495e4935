package dev.chatwire.examples;

import dev.chatwire.jakarta.ChatServlet;
import jakarta.servlet.ServletException;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.apache.tomcat.websocket.server.WsSci;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The same chat server on embedded Tomcat 10.1, to show that the transport does not depend on the container: the
 * same endpoint, servlets and page as {@link ChatServerApp}, and the same environment variables.
 *
 * <pre>
 * mvn -q -pl examples -am package -DskipTests -Prun -Dexec.mainClass=dev.chatwire.examples.TomcatChatServerApp
 * </pre>
 */
public final class TomcatChatServerApp {

    private static final Logger log = LoggerFactory.getLogger(TomcatChatServerApp.class);
    /**
     * How long Tomcat waits for each read of a request, head or body, and for the next request on a kept-alive
     * connection: a client that goes silent mid-request gives its thread back after this (Tomcat's default is 60 s).
     * Tomcat has no minimum data rate: a client trickling a byte within each timeout is cut off only by the servlets,
     * which read JSON bodies without a thread and within a deadline of their own ({@link ChatServlet}'s body
     * timeout). An upload is parsed on a request thread, after its sender was checked, so only this timeout bounds a
     * member trickling one; put a proxy that buffers request bodies in front of Tomcat where that matters.
     */
    private static final String READ_TIMEOUT_MILLIS = "10000";

    private TomcatChatServerApp() {
    }

    /** Starts the server and waits until it is stopped (Ctrl-C). */
    public static void main(String[] args) throws Exception {
        RunningServer server = start(ServerSettings.fromEnvironment(System.getenv()));
        server.join();
    }

    static RunningServer start(ServerSettings settings) throws Exception {
        if (settings.webSocket() == ServerSettings.WebSocketApi.JETTY) {
            log.warn("CHAT_WEBSOCKET=jetty needs the Jetty server; Tomcat serves the socket through Jakarta WebSocket");
        }
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("chatwire-tomcat").toString());
        Connector connector = new Connector();
        connector.setPort(settings.port());
        connector.setProperty("address", settings.host());
        connector.setProperty("connectionTimeout", READ_TIMEOUT_MILLIS);
        connector.setProperty("connectionUploadTimeout", READ_TIMEOUT_MILLIS);
        connector.setProperty("disableUploadTimeout", "false");
        connector.setXpoweredBy(false);
        tomcat.setConnector(connector);
        // Init binds the port: the default allowed origins name the real one.
        tomcat.init();
        ChatApplication app = ChatApplication.create(settings, connector.getLocalPort());
        // Tomcat's multipart parser stops at this many parts, as the servlet would refuse more.
        connector.setMaxPartCount(ChatServlet.maxPartCount(app.engine().limits()));

        StandardContext context = (StandardContext) tomcat.addContext("", null);
        // Those clean-ups are for redeploying web apps, which an embedded server never does; they only warn on JDK 17.
        context.setClearReferencesThreadLocals(false);
        context.setClearReferencesRmiTargets(false);
        FilterDef hostCheck = new FilterDef();
        hostCheck.setFilterName("host-allow-list");
        hostCheck.setFilter(app.hostAllowList());
        context.addFilterDef(hostCheck);
        FilterMap everyPath = new FilterMap();
        everyPath.setFilterName("host-allow-list");
        everyPath.addURLPattern("/*");
        context.addFilterMapBefore(everyPath);
        Wrapper api = Tomcat.addServlet(context, "chatwire-api", app.api());
        // Both servlets read JSON bodies without holding a request thread while they arrive, which needs async support.
        api.setAsyncSupported(true);
        api.setMultipartConfigElement(ChatServlet.multipartConfig(app.engine().limits()));
        context.addServletMapping("/api/*", "chatwire-api");
        Tomcat.addServlet(context, "demo-token", app.demoTokens()).setAsyncSupported(true);
        context.addServletMapping("/demo/token", "demo-token");
        // Tomcat runs its WebSocket upgrade filter only on paths a servlet is mapped to: "/" covers "/ws".
        Tomcat.addServlet(context, "page", app.page());
        context.addServletMapping("/", "page");
        context.addServletContainerInitializer(new WsSci(), null);
        context.addServletContainerInitializer((classes, servletContext) -> {
            try {
                app.jakartaEndpoint().register(
                        (ServerContainer) servletContext.getAttribute(ServerContainer.class.getName()));
            } catch (DeploymentException e) {
                throw new ServletException(e);
            }
        }, null);
        tomcat.start();

        AtomicBoolean stopped = new AtomicBoolean();
        RunningServer running = new RunningServer() {
            @Override
            public int port() {
                return connector.getLocalPort();
            }

            @Override
            public void join() {
                tomcat.getServer().await();
            }

            @Override
            public void stop() throws Exception {
                if (stopped.compareAndSet(false, true)) {
                    app.close();
                    tomcat.stop();
                    tomcat.destroy();
                }
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.stop();
            } catch (Exception e) {
                log.warn("stopping Tomcat failed", e);
            }
        }, "chatwire-shutdown"));
        Banner.print(log, "Tomcat", running, settings, app);
        return running;
    }
}
