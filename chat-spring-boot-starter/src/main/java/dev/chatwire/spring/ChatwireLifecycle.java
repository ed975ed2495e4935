package dev.chatwire.spring;

import dev.chatwire.core.ChatEngine;
import dev.chatwire.jakarta.ChatEndpointConfig;
import org.springframework.context.SmartLifecycle;

/**
 * Closes the engine (every socket with 1001) and then the endpoint when the application stops, in a phase before the
 * web server's graceful shutdown and stop, so that clients get their close frame instead of a dropped connection.
 */
public final class ChatwireLifecycle implements SmartLifecycle {

    private final ChatEngine engine;
    private final ChatEndpointConfig endpoint;
    private volatile boolean running;

    ChatwireLifecycle(ChatEngine engine, ChatEndpointConfig endpoint) {
        this.engine = engine;
        this.endpoint = endpoint;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        engine.close();
        endpoint.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** The last phase to start and so the first to stop: before the web server's phases. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }
}
