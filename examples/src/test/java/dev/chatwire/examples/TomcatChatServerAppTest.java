package dev.chatwire.examples;

/** The Tomcat example server. */
class TomcatChatServerAppTest extends ExampleServerSuite {

    @Override
    protected RunningServer start(ServerSettings settings) throws Exception {
        return TomcatChatServerApp.start(settings);
    }
}
