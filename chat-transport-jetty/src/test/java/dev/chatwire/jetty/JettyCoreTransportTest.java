package dev.chatwire.jetty;

import dev.chatwire.core.ChatEngine;
import dev.chatwire.core.SocketSettings;
import dev.chatwire.jakarta.TestServer;
import dev.chatwire.jakarta.TransportSuite;

/**
 * The Jakarta transport's end-to-end suite, every test of it, against this transport: the same clients, the same
 * REST servlet and the same socket settings, so both transports keep the same rules and close codes.
 */
class JettyCoreTransportTest extends TransportSuite {

    @Override
    protected TestServer startServer(ChatEngine engine, SocketSettings settings) throws Exception {
        return CoreHost.start(engine, settings);
    }
}
