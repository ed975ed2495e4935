package dev.chatwire.mongo;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import dev.chatwire.testing.MongoTestServer;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * Gives each test its own MongoDB database, dropped after the test.
 *
 * <p>The server is a real MongoDB when {@value #URI_VARIABLE} is set, otherwise an in-process mongo-java-server
 * reached over TCP; either way the real driver talks to it, one server and client for the whole test run, and the
 * log says which one ran. Commands the client sends are recorded per database, for tests about what goes on the wire.
 * Register with {@code @RegisterExtension static final TestMongo mongo = new TestMongo();}.
 */
final class TestMongo implements BeforeEachCallback, AfterEachCallback {

    /** The environment variable naming a real MongoDB to test against. */
    static final String URI_VARIABLE = "CHAT_TEST_MONGO_URI";

    private static final Logger LOG = LoggerFactory.getLogger(TestMongo.class);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TestMongo.class);

    private final List<MongoDatabase> databases = new ArrayList<>();
    private Server server;

    @Override
    public void beforeEach(ExtensionContext context) {
        server = context.getRoot().getStore(NAMESPACE).computeIfAbsent(Server.class, key -> Server.start(),
                Server.class);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (MongoDatabase database : databases) {
            database.drop();
            server.recorder.commands.remove(database.getName());
        }
        databases.clear();
    }

    /** A new, empty database with a random name. */
    MongoDatabase newDatabase() {
        MongoDatabase database = server.client.getDatabase("chatwire_test_" + UUID.randomUUID().toString()
                .replace("-", "").substring(0, 16));
        databases.add(database);
        return database;
    }

    /** Whether the tests run against a real MongoDB ({@value #URI_VARIABLE} is set). */
    boolean isRealMongo() {
        return server.inProcess == null;
    }

    /** The commands named {@code commandName} sent to {@code database} so far, oldest first. */
    List<BsonDocument> commands(MongoDatabase database, String commandName) {
        Queue<BsonDocument> sent = server.recorder.commands.getOrDefault(database.getName(),
                new ConcurrentLinkedQueue<>());
        return sent.stream().filter(command -> command.getFirstKey().equals(commandName)).toList();
    }

    /** Forgets the commands sent to {@code database} so far. */
    void clearCommands(MongoDatabase database) {
        server.recorder.commands.remove(database.getName());
    }

    /** Records started commands by database. */
    private static final class Recorder implements CommandListener {
        final Map<String, Queue<BsonDocument>> commands = new ConcurrentHashMap<>();

        @Override
        public void commandStarted(CommandStartedEvent event) {
            // The event's document is only valid during the callback.
            commands.computeIfAbsent(event.getDatabaseName(), name -> new ConcurrentLinkedQueue<>())
                    .add(event.getCommand().clone());
        }
    }

    /** The server and client shared by every test of the run; closed when the run ends. */
    private static final class Server implements AutoCloseable {
        final MongoTestServer inProcess;
        final MongoClient client;
        final Recorder recorder = new Recorder();

        private Server(MongoTestServer inProcess, String connectionString) {
            this.inProcess = inProcess;
            this.client = MongoClients.create(MongoClientSettings.builder()
                    .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(5, TimeUnit.SECONDS))
                    .applyToSocketSettings(socket -> socket.connectTimeout(5, TimeUnit.SECONDS))
                    .applyConnectionString(new ConnectionString(connectionString))
                    .addCommandListener(recorder)
                    .build());
        }

        static Server start() {
            String uri = System.getenv(URI_VARIABLE);
            Server server;
            if (uri == null || uri.isBlank()) {
                MongoTestServer inProcess = MongoTestServer.start();
                server = new Server(inProcess, inProcess.connectionString());
                LOG.info("Mongo tests run against mongo-java-server (in-process, memory backend) at 127.0.0.1:{},"
                        + " reporting version {}; set {} to run them against a real MongoDB",
                        inProcess.port(), server.version(), URI_VARIABLE);
            } else {
                server = new Server(null, uri);
                LOG.info("Mongo tests run against MongoDB {} at {} ({})", server.version(),
                        new ConnectionString(uri).getHosts(), URI_VARIABLE);
            }
            return server;
        }

        String version() {
            return client.getDatabase("admin").runCommand(new Document("buildInfo", 1)).getString("version");
        }

        @Override
        public void close() {
            client.close();
            if (inProcess != null) {
                inProcess.close();
            }
        }
    }
}
