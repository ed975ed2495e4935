package dev.chatwire.jakarta;

import dev.chatwire.core.ChatEngine;

/** The transport suite on embedded Tomcat 10.1. */
class TomcatTransportTest extends TransportSuite {

    @Override
    protected TestServer startServer(ChatEngine engine, ChatEndpointConfig endpoint) throws Exception {
        return TomcatHost.start(engine, endpoint);
    }
}
