package dev.chatwire.examples;

import org.slf4j.Logger;

/** What an example server says when it is up. */
final class Banner {

    private Banner() {
    }

    static void print(Logger log, String container, RunningServer server, ServerSettings settings,
                      ChatApplication app) {
        log.info("Chatwire demo on {} at {} (WebSocket {}, REST /api; {})", container, server.url(),
                app.sockets().path(), app.backendDescription());
        log.info("Allowed browser origins: {}", app.sockets().allowedOrigins());
        if (settings.randomSecret()) {
            log.info("CHAT_JWT_SECRET is not set: tokens are signed with a random secret and end with this process");
        }
        log.warn("/demo/token signs anyone in as anyone: it exists for this demo only");
        if (!settings.listensOnLoopbackOnly()) {
            log.warn("Listening on {}, beyond this machine: anyone who reaches it can sign in as anyone through "
                    + "/demo/token; set CHAT_HOST=127.0.0.1 unless that is what you want", settings.host());
        }
    }
}
