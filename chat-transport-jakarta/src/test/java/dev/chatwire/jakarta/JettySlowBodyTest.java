package dev.chatwire.jakarta;

import dev.chatwire.core.ChatEngine;
import dev.chatwire.core.SocketSettings;

/** The slow-body suite on embedded Jetty 12 (ee10), with no minimum request data rate set. */
class JettySlowBodyTest extends SlowBodySuite {

    @Override
    protected TestServer startServer(ChatEngine engine, ChatServlet servlet, int maxThreads) throws Exception {
        return JettyHost.start(engine, SocketSettings.builder().build(), servlet, maxThreads);
    }
}
