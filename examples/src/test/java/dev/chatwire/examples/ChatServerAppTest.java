package dev.chatwire.examples;

/** The Jetty example server. */
class ChatServerAppTest extends ExampleServerSuite {

    @Override
    protected RunningServer start(ServerSettings settings) throws Exception {
        return ChatServerApp.start(settings);
    }
}
