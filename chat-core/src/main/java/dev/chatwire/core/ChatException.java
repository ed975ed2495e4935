package dev.chatwire.core;

import java.util.Objects;

/**
 * A request to the engine failed for the reason its {@link #code()} names. The message is safe to show to the
 * client: it never carries tokens or internal details.
 */
public class ChatException extends RuntimeException {

    private final ErrorCode code;

    /** Creates the exception. */
    public ChatException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** Creates the exception with the failure that caused it, which is for logs, not for clients. */
    public ChatException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** Why the request failed. */
    public ErrorCode code() {
        return code;
    }
}
