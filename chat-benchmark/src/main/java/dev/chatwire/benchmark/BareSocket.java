package dev.chatwire.benchmark;

/**
 * One socket of the bare server, whatever WebSocket API carries it (Jakarta for {@link BareServer}, Jetty's core API
 * for {@link BareCoreServer}). Implementations are the per-socket endpoint objects themselves, so that the abstraction
 * adds no object per connection; they extend {@link BareSocketState} for its fields where they can.
 */
interface BareSocket {

    /** What happened to a frame handed to the container. */
    @FunctionalInterface
    interface Written {
        /** The frame was written, or failed. */
        void done(boolean ok);
    }

    /** A unique id for {@code connected}. */
    String id();

    /** The user the socket signed in as, or null before {@code connect}. */
    String userId();

    /** Records the user after {@code connect}. */
    void userId(String userId);

    /** Hands a text frame to the container, without waiting; {@code written} (or null) hears how it went. */
    void send(String text, Written written);

    /** Per-socket state of the rooms (its ordered queue of frames), or null. */
    Object attachment();

    /** Sets the per-socket state of the rooms. */
    void attachment(Object attachment);
}
