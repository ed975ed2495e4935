package dev.chatwire.benchmark;

/**
 * One socket of the bare server, whatever WebSocket API carries it (Jakarta for {@link BareServer}, Jetty's core API
 * on Jetty's core API). Implementations are the per-socket endpoint objects themselves, so that the abstraction
 * adds no object per connection; they extend {@link BareSocketState} for its fields where they can.
 */
interface BareSocket {

    /** A unique id for {@code connected}. */
    String id();

    /** The user the socket signed in as, or null before {@code connect}. */
    String userId();

    /** Records the user after {@code connect}. */
    void userId(String userId);

    /** Hands a text frame to the container, without waiting for it to be written. */
    void send(String text);

    /** Per-socket state of the rooms (its ordered queue of frames), or null. */
    Object attachment();

    /** Sets the per-socket state of the rooms. */
    void attachment(Object attachment);
}
