package dev.chatwire.core.spi;

/**
 * An adapter's backing service (a database, Redis, a key server) failed or did not answer in time.
 *
 * <p>Adapters throw this, with the driver's exception as the cause, for infrastructure failures only; expected
 * outcomes (nothing found, a duplicate) are return values. The engine answers it with an {@code unavailable} error.
 */
public class UnavailableException extends RuntimeException {

    /** Creates the exception with the driver's failure as its cause. */
    public UnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Creates the exception without a cause. */
    public UnavailableException(String message) {
        super(message);
    }
}
