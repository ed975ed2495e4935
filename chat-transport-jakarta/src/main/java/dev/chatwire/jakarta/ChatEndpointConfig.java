package dev.chatwire.jakarta;

import dev.chatwire.core.ChatEngine;
import dev.chatwire.core.SocketSettings;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Chatwire's WebSocket endpoint, configured for one engine, ready to register on any Jakarta WebSocket container
 * (Jetty, Tomcat, Tyrus, ...).
 *
 * <pre>{@code
 * SocketSettings settings = SocketSettings.builder()
 *         .allowedOrigins("https://chat.example.com")
 *         .build();
 * ChatEndpointConfig ws = ChatEndpointConfig.create(engine, settings);
 * serverContainer.addEndpoint(ws.serverEndpointConfig());   // at settings.path(), "/ws" unless set
 * ...
 * engine.close();   // closes every socket with 1001
 * ws.close();       // then stops the endpoint's two small thread pools
 * }</pre>
 *
 * <p>The handshake and socket rules are the {@link SocketSettings}' (origins, header and query tokens, compression,
 * pings, idle and send timeouts), the same on every Chatwire transport. Besides: binary frames close the socket with
 * 1003, and a text message longer than {@link dev.chatwire.core.ChatLimits#maxFrameChars()} closes it with 1009
 * (Jetty counts that limit in UTF-8 bytes, Tomcat and the engine in characters, so the stricter count applies). The
 * engine's own close codes are listed in {@link dev.chatwire.core.CloseCodes}.
 *
 * <p>Immutable and thread-safe. It owns a timer thread and a few threads for the container calls that the Jakarta
 * API makes blocking (pings and closes), all daemons, stopped by {@link #close()}.
 */
public final class ChatEndpointConfig implements AutoCloseable {

    static final String NO_CONTAINER = "no ServerContainer in the ServletContext: its attribute "
            + "jakarta.websocket.server.ServerContainer is null until the container's WebSocket initializer has run. "
            + "Register from a ServletContainerInitializer added after Tomcat's WsSci, or on Jetty from "
            + "JakartaWebSocketServletContainerInitializer.configure(context, ...). On Spring Boot, whose "
            + "ServletContextInitializers can run before that, use chat-spring-boot-starter or a "
            + "ServerEndpointExporter bean";

    private final ChatEngine engine;
    private final SocketSettings settings;
    private final Housekeeper housekeeper;
    private final ServerEndpointConfig serverEndpointConfig;

    private ChatEndpointConfig(ChatEngine engine, SocketSettings settings, LongSupplier ticker) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.housekeeper = new Housekeeper(settings.sweepInterval(), ticker);
        this.serverEndpointConfig = ServerEndpointConfig.Builder.create(ChatEndpoint.class, settings.path())
                .configurator(new HandshakeConfigurator(this))
                .build();
    }

    /** The endpoint of this engine with these rules; starts its timer. */
    public static ChatEndpointConfig create(ChatEngine engine, SocketSettings settings) {
        return new ChatEndpointConfig(engine, settings, System::nanoTime);
    }

    /** The same with a clock of its own, for tests that move time by hand. */
    static ChatEndpointConfig create(ChatEngine engine, SocketSettings settings, LongSupplier ticker) {
        return new ChatEndpointConfig(engine, settings, ticker);
    }

    /** The configuration to pass to {@link ServerContainer#addEndpoint(ServerEndpointConfig)}; always the same one. */
    public ServerEndpointConfig serverEndpointConfig() {
        return serverEndpointConfig;
    }

    /**
     * Registers the endpoint on a container: {@code container.addEndpoint(serverEndpointConfig())}.
     *
     * @param container the container's {@code ServerContainer}, usually the {@code ServletContext} attribute named
     *                  {@code jakarta.websocket.server.ServerContainer}
     * @throws DeploymentException if the container refuses the endpoint
     * @throws IllegalArgumentException if the container is null, as that attribute is until the container's WebSocket
     *                                  initializer has run; the message says where to find one
     */
    public void register(ServerContainer container) throws DeploymentException {
        if (container == null) {
            throw new IllegalArgumentException(NO_CONTAINER);
        }
        container.addEndpoint(serverEndpointConfig);
    }

    /** The rules this endpoint applies, its path among them. */
    public SocketSettings settings() {
        return settings;
    }

    /** How many sockets of this endpoint are open, authenticated or not. */
    public int openSockets() {
        return housekeeper.size();
    }

    ChatEngine engine() {
        return engine;
    }

    Housekeeper housekeeper() {
        return housekeeper;
    }

    /**
     * Stops pinging and watching sockets, and releases the endpoint's threads. Close the engine first: it closes the
     * sockets, and this waits up to 5 s for those closes to be sent, so that a container stopped next does not drop
     * the connections before their close frames. Sockets still open afterwards keep working but are no longer pinged
     * or timed out.
     */
    @Override
    public void close() {
        housekeeper.close();
    }
}
