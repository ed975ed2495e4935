package dev.chatwire.jakarta;

import dev.chatwire.core.ChatEngine;

/** The transport suite on embedded Jetty 12 (ee10). */
class JettyTransportTest extends TransportSuite {

    @Override
    protected TestServer startServer(ChatEngine engine, ChatEndpointConfig endpoint) throws Exception {
        return JettyHost.start(engine, endpoint);
    }
}
