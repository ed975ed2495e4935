package dev.chatwire.core;

/**
 * The WebSocket close codes the engine uses. Codes 4000-4999 are Chatwire's own; a client that sees one of the
 * codes marked "reconnect" may reconnect and resume from the last seq it saw.
 */
public final class CloseCodes {

    private CloseCodes() {
    }

    /** The engine is shutting down (1001, going away). Reconnect. */
    public static final int GOING_AWAY = 1001;
    /** The client broke the protocol at the transport level, e.g. a binary frame (1003). */
    public static final int UNSUPPORTED_DATA = 1003;
    /** An inbound frame was larger than the limit (1009, message too big). */
    public static final int TOO_BIG = 1009;
    /** An unexpected server failure (1011). Reconnect. */
    public static final int SERVER_ERROR = 1011;
    /** A backing service is unavailable, or the connection fell too far behind (1013). Reconnect and resume. */
    public static final int TRY_AGAIN_LATER = 1013;
    /** No valid token: a bad token, or no {@code connect} frame within the deadline. Get a new token. */
    public static final int UNAUTHORIZED = 4401;
    /** The token expired while the socket was open and was not refreshed in time. Get a new token. */
    public static final int TOKEN_EXPIRED = 4402;
    /** The client read too slowly and its outbound queue overflowed. Reconnect and resume. */
    public static final int SLOW_CONSUMER = 4408;
    /** The user already has the most open connections allowed. */
    public static final int TOO_MANY_CONNECTIONS = 4429;
}
