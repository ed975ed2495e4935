package dev.chatwire.mongo;

import com.mongodb.MongoException;
import com.mongodb.client.MongoDatabase;
import dev.chatwire.core.spi.HealthCheck.Health;
import org.bson.Document;

/** The stores' health check: MongoDB's {@code ping} command on the store's database, one round trip. */
final class MongoPing {

    private static final Document PING = new Document("ping", 1);

    private MongoPing() {
    }

    /** Up when the server answers {@code ping}; down with the driver's message when it does not in time. */
    static Health ping(MongoDatabase database) {
        try {
            database.runCommand(PING);
            return Health.up("MongoDB ping answered (database " + database.getName() + ")");
        } catch (MongoException e) {
            return Health.down("MongoDB ping failed: " + e.getMessage());
        }
    }
}
