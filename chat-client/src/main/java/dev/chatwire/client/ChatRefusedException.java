package dev.chatwire.client;

/**
 * The server, or the client on the server's behalf, refused a command or a request.
 *
 * <p>{@link #code()} is the protocol's error code ({@code forbidden}, {@code too_large}, {@code invalid},
 * {@code unauthorized}, {@code rate_limited}, {@code unavailable}, ...), so that an application can tell a refusal it
 * should show from one it may retry later.
 */
public final class ChatRefusedException extends RuntimeException {

    /** The first and only serialized form. */
    private static final long serialVersionUID = 1L;

    private final String code;

    /** A refusal with the protocol's code and the server's (or client's) explanation. */
    public ChatRefusedException(String code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    /** The protocol's error code, such as {@code forbidden} or {@code too_large}. */
    public String code() {
        return code;
    }
}
