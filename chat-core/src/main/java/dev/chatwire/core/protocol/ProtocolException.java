package dev.chatwire.core.protocol;

/** A client frame could not be understood; the message names the problem and is safe to send back. */
public class ProtocolException extends Exception {

    /** Creates the exception. */
    public ProtocolException(String message) {
        super(message);
    }
}
