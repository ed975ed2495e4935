package dev.chatwire.jetty;

import dev.chatwire.core.ChatEngine;
import dev.chatwire.jakarta.ChatEndpointConfig;
import dev.chatwire.jakarta.TestServer;
import dev.chatwire.jakarta.TransportSuite;

/**
 * The Jakarta transport's end-to-end suite, every test of it, against this transport: the same clients, the same
 * REST servlet and the same socket settings, so both transports keep the same rules and close codes.
 */
class JettyCoreTransportTest extends TransportSuite {

    /** Serves the suite's engine through {@link ChatWebSocketHandler}; the Jakarta endpoint it is handed stays idle. */
    @Override
    protected TestServer startServer(ChatEngine engine, ChatEndpointConfig jakartaEndpoint) throws Exception {
        return CoreHost.start(engine, ChatWebSocketHandler.builder(engine)
                .allowedOrigins(ORIGIN)
                .idleTimeout(IDLE_TIMEOUT)
                .pingInterval(PING_INTERVAL)
                .sendTimeout(SEND_TIMEOUT));
    }
}
