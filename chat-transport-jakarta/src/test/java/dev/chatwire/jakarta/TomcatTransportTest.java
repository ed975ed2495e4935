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

    /** Tomcat may end the connection of a client still writing an oversized frame without a close frame. */
    @Override
    protected boolean closesWithAFrameWhileTheClientStillWrites() {
        return false;
    }
}
