package dev.chatwire.mongo;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import dev.chatwire.core.spi.UnavailableException;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The four MongoDB stores on a client this class opened from a connection string, for hosts that do not already
 * own a {@link MongoClient}. Closing it closes that client.
 *
 * <pre>{@code
 * try (MongoChatwire mongo = MongoChatwire.connect(System.getenv("CHAT_MONGO_URI"), "chatwire")) {
 *     // wire mongo.messages(), mongo.chats(), mongo.media(), mongo.readStates() into the engine
 * }
 * }</pre>
 *
 * <p>Hosts that own their client pass its database to {@link MongoMessageStore#create}, {@link MongoChatStore#create},
 * {@link GridFsMediaStore#create} and {@link MongoReadStateStore#create} instead, ideally with
 * {@link #recommendedSettings} applied.
 */
public final class MongoChatwire implements AutoCloseable {

    private final MongoClient client;
    private final MongoMessageStore messages;
    private final MongoChatStore chats;
    private final GridFsMediaStore media;
    private final MongoReadStateStore reads;

    private MongoChatwire(MongoClient client, MongoDatabase database, MongoStoreOptions options) {
        this.client = client;
        this.messages = MongoMessageStore.create(database, options);
        this.chats = MongoChatStore.create(database, options);
        this.media = GridFsMediaStore.create(database, options);
        this.reads = MongoReadStateStore.create(database, options);
    }

    /**
     * Opens a client with {@link #recommendedSettings} and creates the stores with default options.
     *
     * @throws UnavailableException if MongoDB cannot be reached to create the indexes (the client is closed again)
     */
    public static MongoChatwire connect(String connectionString, String databaseName) {
        return connect(connectionString, databaseName, MongoStoreOptions.defaults());
    }

    /**
     * Opens a client with {@link #recommendedSettings} and creates the stores with the given options.
     *
     * @throws UnavailableException if MongoDB cannot be reached to create the indexes (the client is closed again)
     */
    public static MongoChatwire connect(String connectionString, String databaseName, MongoStoreOptions options) {
        Objects.requireNonNull(databaseName, "databaseName");
        Objects.requireNonNull(options, "options");
        MongoClient client = MongoClients.create(recommendedSettings(connectionString));
        try {
            return new MongoChatwire(client, client.getDatabase(databaseName), options);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /**
     * Client settings that let the stores fail fast: server selection gives up after 2 s, connecting after 2 s, and a
     * reply is awaited 15 s at most (longer than the stores' default {@code maxTimeMS} and {@code wtimeout}, so the
     * server's own time limits normally answer first). Anything the connection string sets wins.
     */
    public static MongoClientSettings recommendedSettings(String connectionString) {
        Objects.requireNonNull(connectionString, "connectionString");
        return MongoClientSettings.builder()
                .applicationName("chatwire")
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(2, TimeUnit.SECONDS))
                .applyToSocketSettings(socket -> socket.connectTimeout(2, TimeUnit.SECONDS)
                        .readTimeout(15, TimeUnit.SECONDS))
                .applyConnectionString(new ConnectionString(connectionString))
                .build();
    }

    /** The message store. */
    public MongoMessageStore messages() {
        return messages;
    }

    /** The chat store. */
    public MongoChatStore chats() {
        return chats;
    }

    /** The media store. */
    public GridFsMediaStore media() {
        return media;
    }

    /** The read-state store: how far each user has read each chat. */
    public MongoReadStateStore readStates() {
        return reads;
    }

    /** The client this instance opened, for a host that needs it (health checks, its own collections). */
    public MongoClient client() {
        return client;
    }

    /** Closes the client; the stores fail afterwards. */
    @Override
    public void close() {
        client.close();
    }
}
