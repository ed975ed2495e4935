package dev.chatwire.jakarta;

import dev.chatwire.core.ChatEngine;
import dev.chatwire.core.SocketSettings;

/** The slow-body suite on embedded Tomcat 11, with its default read timeouts. */
class TomcatSlowBodyTest extends SlowBodySuite {

    @Override
    protected TestServer startServer(ChatEngine engine, ChatServlet servlet, int maxThreads) throws Exception {
        return TomcatHost.start(engine, SocketSettings.builder().build(), servlet, maxThreads);
    }
}
