package dev.chatwire.jakarta;

import dev.chatwire.core.ChatEngine;
import dev.chatwire.core.SocketSettings;

/** The timeline's REST routes on embedded Tomcat. */
class TomcatTimelineRestTest extends TimelineRestSuite {

    @Override
    protected TestServer startServer(ChatEngine engine, SocketSettings settings) throws Exception {
        return TomcatHost.start(engine, settings);
    }
}
