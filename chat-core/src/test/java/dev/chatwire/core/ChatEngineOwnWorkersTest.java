package dev.chatwire.core;

import dev.chatwire.core.memory.InMemoryChatStore;
import dev.chatwire.core.memory.InMemoryMediaStore;
import dev.chatwire.core.memory.InMemoryMessageStore;
import dev.chatwire.core.memory.InMemoryPresenceRegistry;
import dev.chatwire.core.memory.InMemoryReadStateStore;
import dev.chatwire.core.memory.InMemoryRoomBroadcaster;
import dev.chatwire.core.spi.UnavailableException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The workers an engine makes for itself when the host gives no executor: admissions wait on backends far more than
 * they compute, so a reconnect storm must have many of them waiting at once, not four.
 */
class ChatEngineOwnWorkersTest {

    private static final int AT_ONCE = 16;

    /** A chat store whose {@code chatsOf} answers only once {@link #AT_ONCE} admissions are waiting in it together. */
    private static final class RendezvousChatStore extends DelegatingChatStore {
        final CountDownLatch waiting = new CountDownLatch(AT_ONCE);

        RendezvousChatStore() {
            super(new InMemoryChatStore());
        }

        @Override
        public List<Chat> chatsOf(String userId) {
            waiting.countDown();
            try {
                if (!waiting.await(20, TimeUnit.SECONDS)) {
                    throw new UnavailableException((AT_ONCE - waiting.getCount()) + " admissions waited together");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UnavailableException("interrupted");
            }
            return super.chatsOf(userId);
        }
    }

    @Test
    void sixteenAdmissionsWaitOnASlowBackendAtOnce() {
        RendezvousChatStore chats = new RendezvousChatStore();
        try (ChatEngine engine = ChatEngine.builder().tokenVerifier(EngineFixture.TEST_TOKENS)
                .messageStore(new InMemoryMessageStore()).chatStore(chats)
                .readStateStore(new InMemoryReadStateStore()).presenceRegistry(new InMemoryPresenceRegistry())
                .roomBroadcaster(new InMemoryRoomBroadcaster()).mediaStore(new InMemoryMediaStore()).build()) {
            List<FakeConnection> sockets = IntStream.range(0, AT_ONCE).mapToObj(i -> {
                FakeConnection socket = EngineFixture.open(engine);
                socket.session.authenticate("valid:user-" + i, Map.of());
                return socket;
            }).toList();

            sockets.forEach(socket -> socket.awaitFrame("connected"));
            assertThat(chats.waiting.getCount()).isZero();
        }
    }
}
