package dev.chatwire.jakarta;

import dev.chatwire.core.ChatEngine;
import dev.chatwire.core.SocketSettings;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Hosts the transport on embedded Tomcat 10.1, as a Tomcat application would. */
final class TomcatHost {

    /** Held so that the quieter level sticks: java.util.logging keeps loggers weakly. */
    private static final Logger TOMCAT_LOG = Logger.getLogger("org.apache");
    /** Warns, at stop, about endpoint threads still closing a socket whose client stopped reading. */
    private static final Logger TOMCAT_LEAK_LOG = Logger.getLogger("org.apache.catalina.loader");

    private TomcatHost() {
    }

    static TestServer start(ChatEngine engine, SocketSettings settings) throws Exception {
        return start(engine, settings, new ChatServlet(engine), 0);
    }

    /**
     * Serves this servlet at {@code /api/*}, its requests on at most {@code maxThreads} request threads (Tomcat's
     * default of 200 when 0).
     */
    static TestServer start(ChatEngine engine, SocketSettings settings, ChatServlet servlet, int maxThreads)
            throws Exception {
        ChatEndpointConfig endpoint = ChatEndpointConfig.create(engine, settings);
        TOMCAT_LOG.setLevel(Level.WARNING);
        TOMCAT_LEAK_LOG.setLevel(Level.SEVERE);
        Path baseDir = Files.createTempDirectory("chatwire-tomcat");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        if (maxThreads > 0) {
            connector.setProperty("maxThreads", Integer.toString(maxThreads));
        }
        tomcat.setConnector(connector);

        StandardContext context = (StandardContext) tomcat.addContext("", null);
        context.setClearReferencesThreadLocals(false);
        context.setClearReferencesRmiTargets(false);
        Wrapper api = Tomcat.addServlet(context, "chatwire-api", servlet);
        api.setAsyncSupported(true);
        api.setMultipartConfigElement(ChatServlet.multipartConfig(engine.limits()));
        context.addServletMapping("/api/*", "chatwire-api");
        // Tomcat runs its WebSocket filter only for paths some servlet is mapped to.
        Tomcat.addServlet(context, "not-found", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.sendError(HttpServletResponse.SC_NOT_FOUND);
            }
        });
        context.addServletMapping("/", "not-found");
        context.addServletContainerInitializer(new WsSci(), null);
        context.addServletContainerInitializer((classes, servletContext) -> {
            try {
                endpoint.register((ServerContainer) servletContext.getAttribute(ServerContainer.class.getName()));
            } catch (DeploymentException e) {
                throw new ServletException(e);
            }
        }, null);
        tomcat.start();
        int port = connector.getLocalPort();
        return new TestServer() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public void stop() throws Exception {
                tomcat.stop();
                tomcat.destroy();
                endpoint.close();
            }
        };
    }
}
