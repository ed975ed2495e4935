package dev.chatwire.benchmark;

import java.util.Map;

/** The servers a run starts: Chatwire on each WebSocket transport, and the bare server on the same API. */
enum ServerKind {
    /** The bare Jetty WebSocket server on Jakarta WebSocket: the limit. */
    BARE("bare", "dev.chatwire.benchmark.BareServer", Map.of()),
    /** The example Chatwire server on embedded Jetty, Jakarta WebSocket, in-memory adapters. */
    CHATWIRE("chatwire", "dev.chatwire.examples.ChatServerApp", Map.of()),
    /** The bare server on Jetty's core WebSocket API. */
    BARE_CORE("bare-core", "dev.chatwire.benchmark.BareServer", Map.of("CHAT_WEBSOCKET", "jetty")),
    /** The example Chatwire server with its socket on Jetty's core WebSocket API ({@code chat-transport-jetty}). */
    CHATWIRE_JETTY("chatwire-jetty", "dev.chatwire.examples.ChatServerApp", Map.of("CHAT_WEBSOCKET", "jetty"));

    final String label;
    final String mainClass;
    /** Environment variables that make this variant. */
    final Map<String, String> env;

    ServerKind(String label, String mainClass, Map<String, String> env) {
        this.label = label;
        this.mainClass = mainClass;
        this.env = env;
    }
}
