package dev.chatwire.redis;

/** The state of a broadcaster's subscriber link, as its health check reports it. */
enum LinkState {
    CONNECTING("connecting"),
    UP("subscribed"),
    DOWN("disconnected, reconnecting"),
    CLOSED("closed");

    private final String description;

    LinkState(String description) {
        this.description = description;
    }

    /** A few words for a health report. */
    String description() {
        return description;
    }
}
