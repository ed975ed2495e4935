package dev.chatwire.mongo;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoException;
import com.mongodb.MongoInterruptedException;
import com.mongodb.MongoServerException;
import dev.chatwire.core.spi.UnavailableException;

/** Sorts driver exceptions into the expected outcome (a duplicate key) and infrastructure failure. */
final class MongoFailures {

    private MongoFailures() {
    }

    /** Whether the server refused a write because a unique index already holds its key. */
    static boolean isDuplicateKey(MongoException e) {
        return e instanceof MongoServerException
                && ErrorCategory.fromErrorCode(e.getCode()) == ErrorCategory.DUPLICATE_KEY;
    }

    /**
     * The SPI's exception for a driver failure: timeouts, sockets, write concern errors and any other server error
     * alike, since the caller can do nothing but answer {@code unavailable}.
     */
    static UnavailableException unavailable(String operation, MongoException e) {
        if (e instanceof MongoInterruptedException) {
            // The driver swallowed the interrupt to throw; keep it visible to the caller's thread.
            Thread.currentThread().interrupt();
        }
        return new UnavailableException("MongoDB " + operation + " failed: " + e.getMessage(), e);
    }
}
