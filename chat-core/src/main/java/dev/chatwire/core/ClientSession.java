package dev.chatwire.core;

import java.util.Map;
import java.util.Optional;

/**
 * The engine's side of one client socket, returned by {@link ChatEngine#open}. The transport feeds it what the
 * client sends and tells it when the socket closed. Thread-safe; calls for one socket should come one at a time, in
 * the order the frames arrived, as WebSocket containers deliver them.
 */
public interface ClientSession {

    /** This connection's id, unique across nodes. */
    String id();

    /** The authenticated user, once the socket is authenticated. */
    Optional<Principal> principal();

    /**
     * Authenticates the socket with a token the transport already has (an {@code Authorization} header at the
     * handshake), as a {@code connect} frame would. Returns at once: the token is checked, and the socket admitted,
     * on the engine's executor, and frames that come meanwhile wait for it. A bad token closes the socket with
     * {@link CloseCodes#UNAUTHORIZED}.
     *
     * @param resume for each chat, the last seq the client saw; may be empty
     */
    void authenticate(String token, Map<String, Long> resume);

    /** Handles one text frame from the client. */
    void onText(String frame);

    /** The socket is closed; the engine releases everything the connection held. Calling it twice is harmless. */
    void onClose();
}
