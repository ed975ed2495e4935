package dev.chatwire.benchmark;

import java.util.Map;

/** The servers a run can start: the two a comparison alternates, and variants of either for experiments. */
enum ServerKind {
    /** The bare Jetty WebSocket server: the limit. */
    BARE("bare", "dev.chatwire.benchmark.BareServer", Map.of()),
    /** The example Chatwire server on embedded Jetty, in-memory adapters. */
    CHATWIRE("chatwire", "dev.chatwire.examples.ChatServerApp", Map.of()),
    /** Experiment: the bare server handing frames to the container under the room's lock (the old baseline). */
    BARE_LOCKED("bare-locked", "dev.chatwire.benchmark.BareServer", Map.of("BARE_WRITES", "at-once")),
    /** Experiment: the bare server with Chatwire's single writer per connection (one frame in the container). */
    BARE_SERIAL("bare-serial", "dev.chatwire.benchmark.BareServer", Map.of("BARE_WRITES", "serial")),
    /** Experiment: Chatwire's single writers, started after the room's lock, as Chatwire does. */
    BARE_SERIAL_AFTER_LOCK("bare-serial-after-lock", "dev.chatwire.benchmark.BareServer",
            Map.of("BARE_WRITES", "serial-after-lock")),
    /** Experiment: the bare server on Jetty's core WebSocket API instead of Jakarta WebSocket. */
    BARE_CORE("bare-core", "dev.chatwire.benchmark.BareCoreServer", Map.of()),
    /** The example Chatwire server with its socket on Jetty's core WebSocket API ({@code chat-transport-jetty}). */
    CHATWIRE_JETTY("chatwire-jetty", "dev.chatwire.examples.ChatServerApp", Map.of("CHAT_WEBSOCKET", "jetty"));

    private final String label;
    private final String mainClass;
    private final Map<String, String> env;

    ServerKind(String label, String mainClass, Map<String, String> env) {
        this.label = label;
        this.mainClass = mainClass;
        this.env = env;
    }

    /** The name used in progress lines and reports. */
    String label() {
        return label;
    }

    /** The class the child JVM runs. */
    String mainClass() {
        return mainClass;
    }

    /** Environment variables that make this variant. */
    Map<String, String> env() {
        return env;
    }

    /** The bare server a Chatwire server is compared with (the same container and WebSocket API), or null. */
    ServerKind baseline() {
        return switch (this) {
            case CHATWIRE -> BARE;
            case CHATWIRE_JETTY -> BARE_CORE;
            default -> null;
        };
    }

    /** The kind named {@code label}, as {@code --servers} takes it. */
    static ServerKind of(String label) {
        for (ServerKind kind : values()) {
            if (kind.label.equals(label)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown server '" + label + "'");
    }
}
