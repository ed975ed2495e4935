package dev.chatwire.jakarta;

import dev.chatwire.core.ChatEngine;
import dev.chatwire.core.SocketSettings;

/** The transport suite on embedded Tomcat 11. */
class TomcatTransportTest extends TransportSuite {

    @Override
    protected TestServer startServer(ChatEngine engine, SocketSettings settings) throws Exception {
        return TomcatHost.start(engine, settings);
    }

    /** Tomcat drops a connection whose close comes while an asynchronous write is still stuck. */
    @Override
    protected boolean closesAStuckSocketWithACloseFrame() {
        return false;
    }
}
