package dev.chatwire.spring;

import dev.chatwire.core.ChatEngine;
import dev.chatwire.core.ChatEngineBuilder;
import dev.chatwire.core.ChatLimits;
import dev.chatwire.core.ChatMetrics;
import dev.chatwire.core.SocketSettings;
import dev.chatwire.core.spi.ChatStore;
import dev.chatwire.core.spi.MediaStore;
import dev.chatwire.core.spi.ChatPolicy;
import dev.chatwire.core.spi.MessageStore;
import dev.chatwire.core.spi.ReadStateStore;
import dev.chatwire.core.spi.TimelineListener;
import dev.chatwire.core.spi.PresenceRegistry;
import dev.chatwire.core.spi.RoomBroadcaster;
import dev.chatwire.core.spi.TokenVerifier;
import dev.chatwire.jakarta.ChatEndpointConfig;
import dev.chatwire.jakarta.ChatServlet;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Chatwire on Spring Boot's embedded servlet container: the {@link ChatEngine} built from the application's beans,
 * the WebSocket endpoint at {@code chatwire.socket-path} and {@link ChatServlet} at {@code chatwire.rest-prefix}, and a
 * lifecycle that closes both, with 1001 to every client, before the web server stops.
 *
 * <p>Every bean here backs off when the application defines its own. Each SPI the application does not define comes
 * from MongoDB ({@link MongoAdaptersConfiguration}) or Redis ({@link RedisAdaptersConfiguration}) when their module
 * and client bean are there, else from memory, with a warning.
 */
@AutoConfiguration
@ConditionalOnClass({ChatEngine.class, ChatEndpointConfig.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(ChatwireProperties.class)
@Import({MongoAdaptersConfiguration.class, RedisAdaptersConfiguration.class})
public class ChatwireAutoConfiguration {

    /** Creates the auto-configuration; Spring Boot does. */
    public ChatwireAutoConfiguration() {
    }

    /**
     * HS256 tokens signed with {@code chatwire.jwt.secret}, or RS256 and ES256 tokens signed with the keys published
     * at {@code chatwire.jwt.jwks-uri}; either checked against {@code issuer}, {@code audience} and {@code leeway}.
     *
     * @param properties the {@code chatwire.*} settings
     * @return the verifier
     */
    @Bean
    @ConditionalOnMissingBean
    public TokenVerifier chatwireTokenVerifier(ChatwireProperties properties) {
        return TokenVerifiers.fromProperties(properties.getJwt());
    }

    /**
     * The engine, from the SPI beans there are and the in-memory adapters for the rest.
     *
     * @param properties the {@code chatwire.*} settings
     * @param tokens     how tokens are checked
     * @param messages   the message store, if the application or an adapter configuration has one
     * @param chats      the chat store, likewise
     * @param readStates the read-state store, likewise
     * @param policy     the host's {@link ChatPolicy}, if it defines one; the engine's own rules otherwise
     * @param listener   the host's {@link TimelineListener}, if it defines one
     * @param media      the media store, likewise
     * @param presence   the presence registry, likewise
     * @param rooms      the room broadcaster, likewise
     * @param metrics    where the engine reports, if there is a {@link ChatMetrics} bean (Micrometer's, from
     *                   {@link ChatwireMetricsAutoConfiguration}); none otherwise
     * @return the engine; the {@link ChatwireLifecycle} closes it before the web server stops
     */
    @Bean
    @ConditionalOnMissingBean
    public ChatEngine chatEngine(ChatwireProperties properties, TokenVerifier tokens,
                                 ObjectProvider<MessageStore> messages, ObjectProvider<ChatStore> chats,
                                 ObjectProvider<ReadStateStore> readStates, ObjectProvider<ChatPolicy> policy,
                                 ObjectProvider<TimelineListener> listener, ObjectProvider<MediaStore> media,
                                 ObjectProvider<PresenceRegistry> presence, ObjectProvider<RoomBroadcaster> rooms,
                                 ObjectProvider<ChatMetrics> metrics) {
        ChatEngineBuilder builder = ChatEngine.builder().tokenVerifier(tokens).limits(limits(properties))
                .metrics(metrics.getIfAvailable(() -> ChatMetrics.NONE))
                .policy(policy.getIfAvailable(() -> ChatPolicy.DEFAULT))
                .timelineListener(listener.getIfAvailable(() -> TimelineListener.NONE));
        return EngineAssembly.assemble(builder, messages.getIfAvailable(), chats.getIfAvailable(),
                readStates.getIfAvailable(), media.getIfAvailable(),
                presence.getIfAvailable(), rooms.getIfAvailable());
    }

    /**
     * The socket rules: path and allowed origins from the properties, the rest at their defaults.
     *
     * @param properties the {@code chatwire.*} settings
     * @return the settings
     */
    @Bean
    @ConditionalOnMissingBean
    public SocketSettings chatwireSocketSettings(ChatwireProperties properties) {
        return SocketSettings.builder()
                .path(properties.getSocketPath())
                .allowedOrigins(properties.getAllowedOrigins())
                .build();
    }

    /**
     * The WebSocket endpoint; registered on the container by {@link EndpointRegistrar}.
     *
     * @param engine   the engine
     * @param settings the socket rules
     * @return the endpoint; the {@link ChatwireLifecycle} closes it
     */
    @Bean
    @ConditionalOnMissingBean
    public ChatEndpointConfig chatwireEndpoint(ChatEngine engine, SocketSettings settings) {
        return ChatEndpointConfig.create(engine, settings);
    }

    /**
     * Registers the endpoint once the container's {@code ServerContainer} exists.
     *
     * @param endpoint the endpoint
     * @return the registrar
     */
    @Bean
    public static EndpointRegistrar chatwireEndpointRegistrar(ObjectProvider<ChatEndpointConfig> endpoint) {
        return new EndpointRegistrar(endpoint);
    }

    /**
     * Closes the engine, then the endpoint, before the web server stops.
     *
     * @param engine   the engine
     * @param endpoint the endpoint
     * @return the lifecycle
     */
    @Bean
    public ChatwireLifecycle chatwireLifecycle(ChatEngine engine, ChatEndpointConfig endpoint) {
        return new ChatwireLifecycle(engine, endpoint);
    }

    /**
     * {@link ChatServlet} at {@code <chatwire.rest-prefix>/*}.
     *
     * @param engine     the engine
     * @param properties the {@code chatwire.*} settings
     * @return the registration
     */
    @Bean
    public ServletRegistrationBean<ChatServlet> chatwireRestServlet(ChatEngine engine, ChatwireProperties properties) {
        ServletRegistrationBean<ChatServlet> api = new ServletRegistrationBean<>(new ChatServlet(engine),
                properties.getRestPrefix() + "/*");
        api.setName("chatwire-api");
        // It reads JSON bodies without holding a request thread while they arrive (Spring's default, said outright).
        api.setAsyncSupported(true);
        api.setMultipartConfig(ChatServlet.multipartConfig(engine.limits()));
        return api;
    }

    /**
     * A servlet at the socket's path, since Tomcat upgrades only requests for a path some servlet is mapped to; a
     * plain request there gets 426.
     *
     * @param properties the {@code chatwire.*} settings
     * @return the registration
     */
    @Bean
    public ServletRegistrationBean<SocketPathServlet> chatwireSocketPathServlet(ChatwireProperties properties) {
        ServletRegistrationBean<SocketPathServlet> socketPath = new ServletRegistrationBean<>(new SocketPathServlet(),
                properties.getSocketPath());
        socketPath.setName("chatwire-socket-path");
        return socketPath;
    }

    private static ChatLimits limits(ChatwireProperties properties) {
        ChatwireProperties.Limits set = properties.getLimits();
        ChatLimits.Builder limits = ChatLimits.defaults().toBuilder();
        if (set.getMaxTextChars() != null) {
            limits.maxTextChars(set.getMaxTextChars());
        }
        if (set.getMaxUploadBytes() != null) {
            limits.maxUploadBytes(set.getMaxUploadBytes());
        }
        if (set.getMaxConnectionsPerUser() != null) {
            limits.maxConnectionsPerUser(set.getMaxConnectionsPerUser());
        }
        if (set.getMaxUnauthenticatedPerAddress() != null) {
            limits.maxUnauthenticatedPerAddress(set.getMaxUnauthenticatedPerAddress());
        }
        if (set.getMaxUnauthenticated() != null) {
            limits.maxUnauthenticated(set.getMaxUnauthenticated());
        }
        if (set.getMaxStoredBytesPerUser() != null) {
            limits.maxStoredBytesPerUser(set.getMaxStoredBytesPerUser());
        }
        return limits.build();
    }
}
