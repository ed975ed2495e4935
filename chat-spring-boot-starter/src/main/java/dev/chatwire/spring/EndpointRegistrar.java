package dev.chatwire.spring;

import dev.chatwire.jakarta.ChatEndpointConfig;
import jakarta.servlet.ServletContext;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.web.context.ServletContextAware;

/**
 * Registers Chatwire's endpoint on the embedded container's {@link ServerContainer} once every singleton exists, when
 * the container's WebSocket initializer has long run (as Spring's {@code ServerEndpointExporter} does). In a mock
 * servlet context (a {@code @SpringBootTest} without a server, {@code MockMvc}) there are no sockets and nothing to
 * register on, so it registers nothing; a real container without WebSocket support fails the start-up.
 */
public final class EndpointRegistrar implements ServletContextAware, SmartInitializingSingleton {

    private static final Logger LOG = LoggerFactory.getLogger(EndpointRegistrar.class);
    /** What Spring's {@code MockServletContext} answers to {@code getServerInfo()}. */
    private static final String MOCK_SERVER_INFO = "MockServletContext";

    private final ObjectProvider<ChatEndpointConfig> endpoint;
    private ServletContext servletContext;

    EndpointRegistrar(ObjectProvider<ChatEndpointConfig> endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public void setServletContext(ServletContext servletContext) {
        this.servletContext = servletContext;
    }

    @Override
    public void afterSingletonsInstantiated() {
        ServerContainer container = servletContext == null ? null
                : (ServerContainer) servletContext.getAttribute(ServerContainer.class.getName());
        if (container == null && servletContext != null && MOCK_SERVER_INFO.equals(servletContext.getServerInfo())) {
            LOG.info("a mock servlet context has no WebSocket container: Chatwire's endpoint is not registered");
            return;
        }
        try {
            endpoint.getObject().register(container);
        } catch (DeploymentException e) {
            throw new IllegalStateException("the container refused Chatwire's WebSocket endpoint", e);
        }
    }
}
