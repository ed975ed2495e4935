package dev.chatwire.client;

import dev.chatwire.core.spi.ChatPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** On a server that shows late joiners history from their joining only, the client says where that history starts. */
class ChatClientHistoryFromJoinTest {

    private static final ChatPolicy FROM_JOIN = new ChatPolicy() {
        @Override
        public boolean historyFromJoin(dev.chatwire.core.Chat chat) {
            return true;
        }
    };

    private TestServer server;
    private final Clients clients = new Clients();

    @BeforeEach
    void startServer() throws Exception {
        server = TestServer.start(FROM_JOIN);
    }

    @AfterEach
    void stop() throws Exception {
        clients.close();
        server.stop();
    }

    @Test
    void aUserAddedLateHearsWhereItsHistoryStartsWhenAddedAndWhenItConnectsAgain() throws Exception {
        ChatClient alice = clients.of("alice", server.socketUri());
        ChatClient carol = clients.of("carol", server.socketUri());
        List<ChatJoinedEvent> carolJoined = new CopyOnWriteArrayList<>();
        carol.onChatJoined(carolJoined::add);
        alice.connect().get(10, TimeUnit.SECONDS);
        carol.connect().get(10, TimeUnit.SECONDS);
        Chat chat = alice.api().createChat(List.of("bob"), null).get(10, TimeUnit.SECONDS);
        alice.send(chat.id(), "before carol").get(10, TimeUnit.SECONDS);
        alice.send(chat.id(), "still before carol").get(10, TimeUnit.SECONDS);

        alice.api().addParticipant(chat.id(), "carol").get(10, TimeUnit.SECONDS);
        await().until(() -> !carolJoined.isEmpty());
        ChatClient carolLater = clients.of("carol", server.socketUri());
        carolLater.connect().get(10, TimeUnit.SECONDS);

        assertThat(carolJoined.get(0).historyAfter()).isEqualTo(2);
        assertThat(((ConnectionState.Connected) carolLater.state()).historyAfter()).isEqualTo(Map.of(chat.id(), 2L));
        assertThat(((ConnectionState.Connected) alice.state()).historyAfter()).isEmpty();
    }
}
