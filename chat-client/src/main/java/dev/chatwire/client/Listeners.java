package dev.chatwire.client;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The application's listeners for one kind of event. Registering and removing are thread-safe; events are emitted
 * on the client's event thread, to each listener in registration order.
 *
 * @param <T> the event type
 */
final class Listeners<T> {

    private static final Logger log = LoggerFactory.getLogger(Listeners.class);

    private final List<Consumer<? super T>> listeners = new CopyOnWriteArrayList<>();

    Registration add(Consumer<? super T> listener) {
        Objects.requireNonNull(listener, "listener");
        // A wrapper of our own, so that removing one registration never removes another of the same listener.
        Consumer<T> own = listener::accept;
        listeners.add(own);
        return () -> listeners.remove(own);
    }

    void emit(T event) {
        for (Consumer<? super T> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                // The application's bug must not keep the event from its other listeners, or stop the client.
                log.error("chat client listener failed on {}", event, e);
            }
        }
    }
}
