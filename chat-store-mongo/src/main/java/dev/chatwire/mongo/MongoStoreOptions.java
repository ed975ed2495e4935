package dev.chatwire.mongo;

import com.mongodb.WriteConcern;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The settings the MongoDB stores share: an immutable value whose {@code with*} methods return changed copies.
 *
 * <pre>{@code
 * MongoStoreOptions options = MongoStoreOptions.defaults().withCollectionPrefix("chat_");
 * MessageStore messages = MongoMessageStore.create(database, options);
 * }</pre>
 *
 * @param collectionPrefix put in front of every collection and GridFS bucket name, e.g. {@code "chat_"}; may be empty
 * @param writeConcern     the write concern of every write; must be acknowledged, because duplicate detection and
 *                         fail-fast both need the server's answer
 * @param maxTime          the server-side time limit of every read and of every find-and-modify ({@code maxTimeMS});
 *                         the write concern's {@code wtimeout} bounds waiting for replication
 */
public record MongoStoreOptions(String collectionPrefix, WriteConcern writeConcern, Duration maxTime) {

    /** Majority, journaled, giving up on replication after five seconds. */
    public static final WriteConcern DEFAULT_WRITE_CONCERN =
            WriteConcern.MAJORITY.withJournal(true).withWTimeout(5, TimeUnit.SECONDS);

    /** Five seconds. */
    public static final Duration DEFAULT_MAX_TIME = Duration.ofSeconds(5);

    /** Validates every field. */
    public MongoStoreOptions {
        Objects.requireNonNull(collectionPrefix, "collectionPrefix");
        if (collectionPrefix.contains("$") || collectionPrefix.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("collectionPrefix must not contain '$' or NUL: " + collectionPrefix);
        }
        Objects.requireNonNull(writeConcern, "writeConcern");
        if (!writeConcern.isAcknowledged()) {
            throw new IllegalArgumentException("the write concern must be acknowledged, was " + writeConcern);
        }
        Objects.requireNonNull(maxTime, "maxTime");
        if (maxTime.isNegative() || maxTime.isZero()) {
            throw new IllegalArgumentException("maxTime must be positive, was " + maxTime);
        }
    }

    /** No prefix, {@link #DEFAULT_WRITE_CONCERN}, {@link #DEFAULT_MAX_TIME}. */
    public static MongoStoreOptions defaults() {
        return new MongoStoreOptions("", DEFAULT_WRITE_CONCERN, DEFAULT_MAX_TIME);
    }

    /** A copy with another collection name prefix. */
    public MongoStoreOptions withCollectionPrefix(String prefix) {
        return new MongoStoreOptions(prefix, writeConcern, maxTime);
    }

    /** A copy with another write concern. */
    public MongoStoreOptions withWriteConcern(WriteConcern concern) {
        return new MongoStoreOptions(collectionPrefix, concern, maxTime);
    }

    /** A copy with another server-side time limit for reads and find-and-modify. */
    public MongoStoreOptions withMaxTime(Duration limit) {
        return new MongoStoreOptions(collectionPrefix, writeConcern, limit);
    }

    /** The full name of a collection or bucket: the prefix and the base name. */
    String name(String baseName) {
        return collectionPrefix + baseName;
    }

    long maxTimeMillis() {
        return maxTime.toMillis();
    }
}
