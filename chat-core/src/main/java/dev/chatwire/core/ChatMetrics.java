package dev.chatwire.core;

import java.time.Duration;

/**
 * What the engine reports as it works, for a metrics library to count: sockets admitted and refused, messages
 * stored and delivered, replays, slow consumers, rate limits and adapter failures. Every method does nothing by
 * default, and {@link #NONE} is what an engine uses unless {@link ChatEngineBuilder#metrics} is set; the Micrometer
 * binding is {@link dev.chatwire.core.micrometer.MicrometerChatMetrics}.
 *
 * <p>Implementations must be thread-safe and must not block: the engine calls them on container threads, on its
 * workers and from write completions, sometimes while holding a connection's lock. Arguments are low-cardinality by
 * design (a reason, an adapter and operation name): never a user, chat or connection id.
 */
public interface ChatMetrics {

    /** Reports nothing. */
    ChatMetrics NONE = new ChatMetrics() {
    };

    /** Why a socket was not admitted. */
    enum Refusal {
        /** The token verifier refused the token (bad signature, expired, wrong audience, ...). */
        TOKEN_REFUSED,
        /** The token named a user id the engine does not accept. */
        INVALID_USER,
        /** The token verifier could not be reached. */
        VERIFIER_UNAVAILABLE,
        /** No valid {@code connect} frame came first, or none came in time. */
        NO_CONNECT,
        /** The user already holds {@link ChatLimits#maxConnectionsPerUser()} sockets on this node. */
        TOO_MANY_CONNECTIONS,
        /** A store, the registry or the broadcaster failed during admission. */
        UNAVAILABLE,
        /**
         * The socket was closed as it opened: its address, or the node, held the most sockets not yet authenticated
         * ({@link ChatLimits#maxUnauthenticatedPerAddress()}, {@link ChatLimits#maxUnauthenticated()}).
         */
        TOO_MANY_UNAUTHENTICATED
    }

    /** What the engine's gauges read when sampled; thread-safe, and cheap enough to call on every scrape. */
    interface Gauges {
        /** How many sockets this node holds, authenticated or not. */
        int connections();

        /** Characters queued for all sockets of this node and not yet written, frames in flight included. */
        long outboundQueuedChars();
    }

    /** Called once, when the engine is built, with what its gauges read; {@link #NONE} ignores it. */
    default void bind(Gauges gauges) {
    }

    /**
     * Called once, when the engine is closed: the gauges {@link #bind} was given read a closed engine from now on,
     * so a registry that outlives the engine (a host that builds a new one) drops them.
     */
    default void unbind() {
    }

    /** A socket was authenticated and told {@code connected}. */
    default void admitted() {
    }

    /** A socket was refused before it was admitted. */
    default void refused(Refusal reason) {
    }

    /** A message was stored (a retry that found its message already stored is not counted). */
    default void stored() {
    }

    /** A {@code new_message} frame was written to a socket, live or replayed. */
    default void delivered() {
    }

    /**
     * The time from a message being stored on this node to its frame being written to one of this node's sockets;
     * reported for live deliveries of messages stored on this node.
     */
    default void deliveryLatency(Duration latency) {
    }

    /** A connection began catching up on a chat from the store. */
    default void replayStarted() {
    }

    /** Messages were read from the store for a replay. */
    default void replayed(int messages) {
    }

    /** A socket was closed because it could not keep up with its outbound queue. */
    default void slowConsumerClosed() {
    }

    /** A socket command was refused by the per-connection rate limit. */
    default void rateLimited() {
    }

    /**
     * An adapter call failed with {@link dev.chatwire.core.spi.UnavailableException}.
     *
     * @param spi       the SPI, e.g. {@code MessageStore}
     * @param operation the SPI method, e.g. {@code appendAll}
     */
    default void adapterFailed(String spi, String operation) {
    }
}
