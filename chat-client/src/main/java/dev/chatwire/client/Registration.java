package dev.chatwire.client;

/** A registered listener; closing it removes the listener. */
@FunctionalInterface
public interface Registration extends AutoCloseable {

    /** Removes the listener; later events no longer reach it. Idempotent. */
    @Override
    void close();
}
