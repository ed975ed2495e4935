package dev.chatwire.examples;

import dev.chatwire.core.ChatEngine;
import dev.chatwire.core.ChatEngineBuilder;
import dev.chatwire.core.ChatLimits;
import dev.chatwire.core.SocketSettings;
import dev.chatwire.core.jwt.JwtTokenVerifier;
import dev.chatwire.jakarta.ChatEndpointConfig;
import dev.chatwire.jakarta.ChatServlet;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

/**
 * What both example servers host, whatever the container: the engine, its WebSocket endpoint, the REST servlet, the
 * demo sign-in and the page.
 */
final class ChatApplication implements AutoCloseable {

    private final Backends backends;
    private final ChatEngine engine;
    private final SocketSettings sockets;
    /** Made when a Jakarta container asks for it: it owns threads that the Jetty core transport does not need. */
    private ChatEndpointConfig jakartaEndpoint;
    private final ChatServlet api;
    private final DemoTokenServlet demoTokens;
    private final PageServlet page;
    private final HostAllowList hosts;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ChatApplication(ServerSettings settings, int boundPort, UnaryOperator<ChatEngineBuilder> hooks) {
        this.backends = Backends.open(settings);
        ChatLimits.Builder chosen = ChatLimits.defaults().toBuilder()
                .maxUnauthenticatedPerAddress(settings.maxUnauthenticatedPerAddress());
        ChatLimits limits = (settings.restRateLimits() ? chosen : chosen.unlimitedRestRates()).build();
        this.engine = hooks.apply(backends.configure(ChatEngine.builder()))
                // The demo signs its tokens on this server's own clock: 2 s of leeway, for a token presented just as it
                // expires, is enough, and an expired token's socket closes 2 s later (clients/js's tests count on it).
                .tokenVerifier(JwtTokenVerifier.hs256(settings.jwtSecret()).leeway(Duration.ofSeconds(2)).build())
                .limits(limits)
                .build();
        this.sockets = SocketSettings.builder()
                .allowedOrigins(settings.originsFor(boundPort))
                .build();
        this.api = new ChatServlet(engine);
        this.demoTokens = new DemoTokenServlet(settings.jwtSecret(), engine.codec().mapper());
        this.page = new PageServlet();
        this.hosts = new HostAllowList(settings.hostNames());
    }

    /** Builds the application for a server listening on {@code boundPort}. */
    static ChatApplication create(ServerSettings settings, int boundPort) {
        return create(settings, boundPort, UnaryOperator.identity());
    }

    /**
     * Builds the application with the host's hooks added to the engine (a {@link dev.chatwire.core.spi.ChatPolicy},
     * a {@link dev.chatwire.core.spi.TimelineListener}): how an application embedding the example would.
     */
    static ChatApplication create(ServerSettings settings, int boundPort, UnaryOperator<ChatEngineBuilder> hooks) {
        return new ChatApplication(settings, boundPort, hooks);
    }

    ChatEngine engine() {
        return engine;
    }

    /** What the engine runs on, for the banner. */
    String backendDescription() {
        return backends.describe();
    }

    /** The socket rules, whichever transport serves them. */
    SocketSettings sockets() {
        return sockets;
    }

    /** The socket endpoint for a Jakarta WebSocket container; made on the first call. */
    synchronized ChatEndpointConfig jakartaEndpoint() {
        if (closed.get()) {
            throw new IllegalStateException("the application is closed");
        }
        if (jakartaEndpoint == null) {
            jakartaEndpoint = ChatEndpointConfig.create(engine, sockets);
        }
        return jakartaEndpoint;
    }

    /** The REST API, for {@code /api/*}. */
    ChatServlet api() {
        return api;
    }

    /** The demo-only sign-in, for {@code /demo/token}. */
    DemoTokenServlet demoTokens() {
        return demoTokens;
    }

    /** The {@code Host} header check, in front of every servlet. */
    HostAllowList hostAllowList() {
        return hosts;
    }

    /** The page, for {@code /}. */
    PageServlet page() {
        return page;
    }

    /** Closes every socket (1001), stops the endpoint's threads, then the backends' clients; later calls do nothing. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            engine.close();
            synchronized (this) {
                if (jakartaEndpoint != null) {
                    jakartaEndpoint.close();
                }
            }
            backends.close();
        }
    }
}
