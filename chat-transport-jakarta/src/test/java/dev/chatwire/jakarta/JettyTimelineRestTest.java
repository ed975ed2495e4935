package dev.chatwire.jakarta;

import dev.chatwire.core.ChatEngine;
import dev.chatwire.core.SocketSettings;

/** The timeline's REST routes on embedded Jetty 12 (ee10). */
class JettyTimelineRestTest extends TimelineRestSuite {

    @Override
    protected TestServer startServer(ChatEngine engine, SocketSettings settings) throws Exception {
        return JettyHost.start(engine, settings);
    }
}
