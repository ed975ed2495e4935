package dev.chatwire.examples;

/** The Jetty example server with {@code CHAT_WEBSOCKET=jetty}: its socket on Jetty's core WebSocket API. */
class ChatServerAppOnJettyCoreWebSocketTest extends ExampleServerSuite {

    @Override
    protected RunningServer start(ServerSettings settings) throws Exception {
        return ChatServerApp.start(settings.withWebSocket(ServerSettings.WebSocketApi.JETTY));
    }
}
