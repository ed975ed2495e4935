package dev.chatwire.spring;

import dev.chatwire.jakarta.ChatEndpointConfig;
import jakarta.servlet.ServletContext;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.web.context.ServletContextAware;

/**
 * Registers Chatwire's endpoint on the embedded container's {@link ServerContainer} once every singleton exists, when
 * the container's WebSocket initializer has long run (as Spring's {@code ServerEndpointExporter} does).
 */
public final class EndpointRegistrar implements ServletContextAware, SmartInitializingSingleton {

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
        try {
            endpoint.getObject().register(container);
        } catch (DeploymentException e) {
            throw new IllegalStateException("the container refused Chatwire's WebSocket endpoint", e);
        }
    }
}
