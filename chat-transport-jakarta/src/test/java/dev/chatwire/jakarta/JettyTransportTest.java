package dev.chatwire.jakarta;

import dev.chatwire.core.ChatEngine;
import dev.chatwire.core.SocketSettings;

/** The transport suite on embedded Jetty 12 (ee10). */
class JettyTransportTest extends TransportSuite {

    @Override
    protected TestServer startServer(ChatEngine engine, SocketSettings settings) throws Exception {
        return JettyHost.start(engine, settings);
    }
}
