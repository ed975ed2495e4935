package dev.chatwire.core;

import dev.chatwire.core.memory.InMemoryChatStore;
import dev.chatwire.core.memory.InMemoryMediaStore;
import dev.chatwire.core.memory.InMemoryMessageStore;
import dev.chatwire.core.memory.InMemoryPresenceRegistry;
import dev.chatwire.core.memory.InMemoryReadStateStore;
import dev.chatwire.core.memory.InMemoryRoomBroadcaster;
import dev.chatwire.core.spi.TokenVerification;
import dev.chatwire.core.spi.TokenVerifier;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An engine on the in-memory adapters with a test token scheme: the token {@code "valid:alice"} is alice; the token
 * {@code "expiring:alice:<epochMillis>"} is alice until then; anything else is refused.
 */
class EngineFixture implements AutoCloseable {

    static final TokenVerifier TEST_TOKENS = token -> {
        String[] parts = token.split(":");
        if (parts.length == 2 && parts[0].equals("valid")) {
            return TokenVerification.accepted(Principal.of(parts[1]));
        }
        if (parts.length == 3 && parts[0].equals("expiring")) {
            return TokenVerification.accepted(
                    new Principal(parts[1], Instant.ofEpochMilli(Long.parseLong(parts[2])), Map.of()));
        }
        return TokenVerification.refused("unknown test token");
    };

    final InMemoryMessageStore messages = new InMemoryMessageStore();
    final InMemoryChatStore chats = new InMemoryChatStore();
    final InMemoryPresenceRegistry presence = new InMemoryPresenceRegistry();
    final InMemoryRoomBroadcaster broadcaster = new InMemoryRoomBroadcaster();
    final InMemoryMediaStore media = new InMemoryMediaStore();
    final InMemoryReadStateStore readStates = new InMemoryReadStateStore();
    private final ExecutorService workers = Executors.newFixedThreadPool(4);
    /** The background executor of every engine this fixture builds; {@link #awaitIdle()} waits on it. */
    final TrackingExecutor executor = new TrackingExecutor(workers);
    final ChatEngine engine;

    EngineFixture() {
        this(ChatLimits.defaults());
    }

    EngineFixture(ChatLimits limits) {
        engine = builder().limits(limits).build();
    }

    ChatEngineBuilder builder() {
        return ChatEngine.builder().tokenVerifier(TEST_TOKENS).messageStore(messages).chatStore(chats)
                .readStateStore(readStates).presenceRegistry(presence).roomBroadcaster(broadcaster).mediaStore(media)
                .executor(executor);
    }

    static Principal user(String id) {
        return Principal.of(id);
    }

    Chat chat(String... participants) {
        return engine.createChat(user(participants[0]), Set.of(participants), null);
    }

    /** Opens a socket and authenticates it as the user, then waits for {@code connected}. */
    FakeConnection connect(String userId) {
        return connect(engine, userId, Map.of());
    }

    static FakeConnection connect(ChatEngine engine, String userId, Map<String, Long> resume) {
        FakeConnection connection = open(engine);
        connection.session.authenticate("valid:" + userId, resume);
        connection.awaitFrame("connected");
        return connection;
    }

    /** Opens a socket on the engine, not yet authenticated. */
    static FakeConnection open(ChatEngine engine) {
        FakeConnection connection = new FakeConnection();
        connection.session = engine.open(connection);
        return connection;
    }

    static void sendFrame(FakeConnection connection, String json) {
        connection.session.onText(json);
    }

    /**
     * Waits until the background work of this fixture's engines (replays, membership changes, presence releases) has
     * settled: then anything still to arrive would have arrived.
     */
    void awaitIdle() {
        executor.awaitIdle();
    }

    @Override
    public void close() {
        engine.close();
        workers.shutdownNow();
    }
}
