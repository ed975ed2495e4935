package dev.chatwire.core;

import dev.chatwire.core.memory.InMemoryChatStore;
import dev.chatwire.core.memory.InMemoryPresenceRegistry;
import dev.chatwire.core.spi.ChatStore;
import dev.chatwire.core.spi.PresenceRegistry;
import dev.chatwire.core.spi.Subscription;
import dev.chatwire.core.spi.UnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static dev.chatwire.core.EngineFixture.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Blocking backend calls of the engine's background work run on its executor, and fail by one policy. */
class ChatEngineBackgroundWorkTest {

    private final ExecutorService workers = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "test-worker");
        thread.setDaemon(true);
        return thread;
    });

    @AfterEach
    void stop() {
        workers.shutdownNow();
    }

    @Test
    void backoffDoublesFromItsFirstDelayUpToItsCap() {
        assertThat(List.of(1, 2, 3, 4, 6, 7, 30)).extracting(Retries::delayAfter).containsExactly(
                Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800),
                Duration.ofMillis(3200), Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    @Test
    void aClosedSocketsPresenceIsReleasedOnTheExecutorAndRetriedUntilTheRegistryAnswers() {
        AtomicInteger failuresLeft = new AtomicInteger(2);
        AtomicReference<String> releasedOn = new AtomicReference<>();
        PresenceRegistry flaky = new DelegatingPresenceRegistry(new InMemoryPresenceRegistry()) {
            @Override
            public boolean disconnect(String userId, String connectionId) {
                if (failuresLeft.getAndDecrement() > 0) {
                    throw new UnavailableException("registry down");
                }
                releasedOn.set(Thread.currentThread().getName());
                return super.disconnect(userId, connectionId);
            }
        };
        try (EngineFixture fixture = new EngineFixture();
             ChatEngine engine = fixture.builder().presenceRegistry(flaky).executor(workers).build()) {
            // Bob created the chat: only then may alice see his presence.
            engine.createChat(user("bob"), Set.of("alice", "bob"), null);
            FakeConnection alice = EngineFixture.connect(engine, "alice", Map.of());
            FakeConnection bob = EngineFixture.connect(engine, "bob", Map.of());

            bob.session.onClose();

            await().atMost(Duration.ofSeconds(10)).until(() -> alice.ofType("presence").stream()
                    .anyMatch(event -> event.path("userId").asText().equals("bob")
                            && !event.path("online").asBoolean()));
            assertThat(releasedOn.get()).isEqualTo("test-worker");
            assertThat(flaky.online(List.of("bob"))).containsEntry("bob", false);
        }
    }

    @Test
    void anExpiryIsAnnouncedOnTheExecutorNotOnTheRegistrysThread() {
        AtomicReference<Consumer<Set<String>>> expiryListener = new AtomicReference<>();
        AtomicReference<String> chatsReadOn = new AtomicReference<>();
        PresenceRegistry expiring = new DelegatingPresenceRegistry(new InMemoryPresenceRegistry()) {
            @Override
            public Subscription onExpired(Consumer<Set<String>> usersWentOffline) {
                expiryListener.set(usersWentOffline);
                return super.onExpired(usersWentOffline);
            }
        };
        InMemoryChatStore stored = new InMemoryChatStore();
        ChatStore chats = new DelegatingChatStore(stored) {
            @Override
            public List<Chat> chatsOf(String userId) {
                if (userId.equals("carol")) {
                    chatsReadOn.set(Thread.currentThread().getName());
                }
                return super.chatsOf(userId);
            }
        };
        try (EngineFixture fixture = new EngineFixture();
             ChatEngine engine = fixture.builder().presenceRegistry(expiring).chatStore(chats).executor(workers)
                     .build()) {
            engine.createChat(user("carol"), Set.of("alice", "carol"), null);
            FakeConnection alice = EngineFixture.connect(engine, "alice", Map.of());

            expiryListener.get().accept(Set.of("carol"));

            await().atMost(Duration.ofSeconds(5)).until(() -> alice.ofType("presence").stream()
                    .anyMatch(event -> event.path("userId").asText().equals("carol")));
            assertThat(chatsReadOn.get()).isEqualTo("test-worker");
        }
    }

    @Test
    void aRemovalThatRacesAnotherOneToTheLastParticipantIsInvalidNotAnInternalError() {
        InMemoryChatStore stored = new InMemoryChatStore();
        AtomicReference<Chat> staleView = new AtomicReference<>();
        // Another node removed bob between this node's read of the chat and its own removal of alice.
        ChatStore racing = new DelegatingChatStore(stored) {
            @Override
            public Optional<Chat> find(String chatId) {
                Chat stale = staleView.get();
                return stale != null ? Optional.of(stale) : super.find(chatId);
            }
        };
        try (EngineFixture fixture = new EngineFixture();
             ChatEngine engine = fixture.builder().chatStore(racing).executor(workers).build()) {
            Chat chat = engine.createChat(user("alice"), Set.of("alice", "bob"), null);
            staleView.set(chat);
            stored.removeParticipant(chat.id(), "bob");

            assertThatThrownBy(() -> engine.removeParticipant(user("alice"), chat.id(), "alice"))
                    .isInstanceOfSatisfying(ChatException.class,
                            refused -> assertThat(refused.code()).isEqualTo(ErrorCode.INVALID));
            assertThat(stored.find(chat.id()).orElseThrow().participants()).containsExactly("alice");
        }
    }

    @Test
    void closingAnEngineOnItsOwnThreadsReleasesItsSocketsPresenceBeforeItReturns() {
        InMemoryPresenceRegistry registry = new InMemoryPresenceRegistry();
        ChatEngine engine = ChatEngine.builder().tokenVerifier(EngineFixture.TEST_TOKENS).presenceRegistry(registry)
                .inMemory().build();
        engine.createChat(user("alice"), Set.of("alice", "bob"), null);
        EngineFixture.connect(engine, "alice", Map.of());
        EngineFixture.connect(engine, "bob", Map.of());
        assertThat(registry.online(List.of("alice", "bob"))).containsValues(true, true);

        engine.close();

        assertThat(registry.online(List.of("alice", "bob"))).containsEntry("alice", false).containsEntry("bob", false);
    }
}
