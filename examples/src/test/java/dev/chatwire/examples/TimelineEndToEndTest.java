package dev.chatwire.examples;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chatwire.core.Chat;
import dev.chatwire.core.ChatEngineBuilder;
import dev.chatwire.core.spi.ChatPolicy;
import dev.chatwire.core.spi.TimelineListener;
import dev.chatwire.testing.MongoTestServer;
import dev.chatwire.testing.RedisTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chat timeline on two example servers sharing one MongoDB and one Redis, over real sockets and REST: read state
 * and unread counts, edits, deletes and reactions made while a client was away, history, the chat list, and the
 * host's hooks. Node A's listener records what it hears; node B's throws.
 */
class TimelineEndToEndTest {

    private static final String SECRET = "timeline-end-to-end-test-secret-0123456789";
    private static final byte[] SECRET_BYTES = SECRET.getBytes(StandardCharsets.UTF_8);

    private final MongoTestServer mongo = MongoTestServer.start();
    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final List<TimelineListener.Stored> heardOnA = new CopyOnWriteArrayList<>();
    /** Both nodes' clock: a millisecond later at every reading, so activity times never tie. */
    private final Clock ticking = new TickingClock();
    private RunningServer nodeA;
    private RunningServer nodeB;

    /** Nobody adds mallory: the host's rule, on every node. */
    private static final ChatPolicy NO_MALLORY = new ChatPolicy() {
        @Override
        public Verdict mayAddParticipant(String actor, Chat chat, String userId) {
            return userId.equals("mallory") ? Verdict.refuse("mallory is not welcome")
                    : ChatPolicy.DEFAULT.mayAddParticipant(actor, chat, userId);
        }
    };

    @BeforeEach
    void startTwoNodes() throws Exception {
        RedisTestServer redis = RedisTestServer.startLocal();
        cleanup.add(redis);
        Map<String, String> env = Map.of("CHAT_JWT_SECRET", SECRET,
                "CHAT_MONGO_URI", mongo.connectionString() + "/timeline-"
                        + UUID.randomUUID(),
                "CHAT_REDIS_URI", redis.uri().toString());
        nodeA = start(env, engine -> engine.clock(ticking).policy(NO_MALLORY)
                .timelineListener(heardOnA::add));
        nodeB = start(env, engine -> engine.clock(ticking).policy(NO_MALLORY).timelineListener(stored -> {
            throw new IllegalStateException("the push service is down");
        }));
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
        mongo.close();
    }

    @Test
    void readStateAgreesBetweenDevicesAndNodesAndSurvivesAReconnect() throws Exception {
        ChatClient alice = client(nodeA, "alice");
        String chatId = alice.createChat("bob");
        for (String text : List.of("one", "two", "three")) {
            alice.postText(chatId, text);
        }
        ChatClient bobPhone = client(nodeA, "bob");
        bobPhone.post("/api/chats/" + chatId + "/read", "{\"seq\":2}");
        bobPhone.post("/api/chats/" + chatId + "/read", "{\"seq\":1}");

        JsonNode onLaptop = client(nodeB, "bob").connect().awaitFrame("connected", frame -> true);
        JsonNode onPhone = bobPhone.connect().awaitFrame("connected", frame -> true);
        JsonNode aliceSees = alice.connect().awaitFrame("connected", frame -> true);

        for (JsonNode connected : List.of(onLaptop, onPhone)) {
            assertThat(connected.path("lastRead").path(chatId).asLong()).isEqualTo(2);
            assertThat(connected.path("unread").path(chatId).asLong()).isEqualTo(1);
        }
        assertThat(aliceSees.path("readBy").path(chatId).path("bob").asLong()).isEqualTo(2);
        assertThat(aliceSees.path("unread").path(chatId).asLong()).isZero();
        assertThat(aliceSees.path("online").path(chatId)).extracting(JsonNode::asText).containsExactly("bob");
    }

    @Test
    void changesMadeWhileAwayReachAResumingClientOnAnotherNodeInSeqOrderOnce() throws Exception {
        ChatClient alice = client(nodeA, "alice");
        String chatId = alice.createChat("bob");
        List<String> ids = new ArrayList<>();
        for (String text : List.of("helo", "two", "three")) {
            ids.add(alice.postText(chatId, text).path("id").asText());
        }
        ChatClient bob = client(nodeB, "bob").connect(Map.of(chatId, 0L));
        await().until(() -> bob.timelineSeqs(chatId).size() == 3);
        bob.close();

        String messages = "/api/chats/" + chatId + "/messages/";
        alice.request("PATCH", messages + ids.get(0), "{\"text\":\"hello\"}");
        client(nodeB, "bob").request("PUT", messages + ids.get(1) + "/reactions/"
                + URLEncoder.encode("👍", StandardCharsets.UTF_8), null);
        alice.request("DELETE", messages + ids.get(2), null);
        alice.postText(chatId, "four");
        bob.connect(Map.of(chatId, 3L));
        await().until(() -> bob.timelineSeqs(chatId).size() >= 4);
        // Sent once the resume is live: a repeat of anything before it would have come before it.
        alice.postText(chatId, "five");

        await().until(() -> bob.texts(chatId).contains("five"));
        assertThat(bob.timelineSeqs(chatId)).containsExactly(4L, 5L, 6L, 7L, 8L);
        List<JsonNode> updates = bob.ofType("message_updated");
        assertThat(updates.get(0).path("message").path("text").asText()).isEqualTo("hello");
        assertThat(updates.get(1).path("message").path("reactions").path("👍").get(0).asText()).isEqualTo("bob");
        assertThat(updates.get(2).path("message").path("deleted").asBoolean()).isTrue();
        assertThat(bob.texts(chatId)).containsExactly("four", "five");

        JsonNode history = alice.get("/api/chats/" + chatId + "/messages").path("messages");
        assertThat(history).extracting(message -> message.path("seq").asLong()).containsExactly(1L, 2L, 3L, 7L, 8L);
        assertThat(history.get(0).path("text").asText()).isEqualTo("hello");
        assertThat(history.get(0).has("editedAt")).isTrue();
        assertThat(history.get(2).path("deleted").asBoolean()).isTrue();
    }

    @Test
    void theChatListIsOrderedByActivityWithTheRightLastMessage() throws Exception {
        ChatClient alice = client(nodeA, "alice");
        String older = alice.createChat("bob");
        String newer = alice.createChat("carol");
        alice.postText(older, "first");
        client(nodeB, "carol").postText(newer, "second");
        client(nodeB, "bob").postText(older, "third");

        // Each chat's activity is written off the delivery path, just after its message is delivered, so the list
        // passes through orders the earlier writes made: order and contents are checked together, on one page (CI
        // saw the order right by "first" alone, then a second read taken after "second" was recorded).
        await().untilAsserted(() -> {
            JsonNode chats = alice.get("/api/chats").path("chats");
            assertThat(chats).extracting(ChatListShape::chatId).containsExactly(older, newer);
            assertThat(ChatListShape.lastMessage(chats.get(0)).path("text").asText()).isEqualTo("third");
            assertThat(chats.get(0).path("unread").asLong()).isEqualTo(1);
            assertThat(ChatListShape.lastMessage(chats.get(1)).path("text").asText()).isEqualTo("second");
        });
    }

    @Test
    void theListenerHearsEveryStoredMessageWithTheOfflineAndAThrowingOneChangesNothing() throws Exception {
        ChatClient alice = client(nodeA, "alice");
        ChatClient bob = client(nodeB, "bob").connect();
        String chatId = alice.createChat("bob", "carol");
        bob.awaitFrame("chat_joined", frame -> chatId.equals(frame.path("chatId").asText()));

        alice.postText(chatId, "heard on A");
        client(nodeB, "carol").postText(chatId, "stored on B, whose listener throws");
        client(nodeB, "carol").postText(chatId, "and again");

        await().until(() -> bob.texts(chatId).size() == 3);
        assertThat(bob.texts(chatId)).containsExactly("heard on A", "stored on B, whose listener throws",
                "and again");
        await().until(() -> heardOnA.size() == 1);
        TimelineListener.Stored heard = heardOnA.get(0);
        assertThat(heard.entry().message().text()).isEqualTo("heard on A");
        assertThat(heard.offline()).containsExactly("carol");
        assertThat(client(nodeA, "alice").get("/api/chats/" + chatId + "/messages").path("messages")).hasSize(3);
    }

    @Test
    void aPolicyThatRefusesAnAdditionAnswers403AndNothingChanges() throws Exception {
        ChatClient alice = client(nodeA, "alice");
        String chatId = alice.createChat("bob");

        int status = alice.status("POST", "/api/chats/" + chatId + "/participants", "{\"userId\":\"mallory\"}");

        assertThat(status).isEqualTo(403);
        JsonNode chats = client(nodeB, "bob").get("/api/chats").path("chats");
        assertThat(chats).hasSize(1);
        assertThat(ChatListShape.participants(chats.get(0))).containsExactlyInAnyOrder("alice", "bob");
    }

    private ChatClient client(RunningServer node, String userId) {
        ChatClient client = new ChatClient(node.port(), userId, SECRET_BYTES);
        cleanup.add(client);
        return client;
    }

    private RunningServer start(Map<String, String> env, UnaryOperator<ChatEngineBuilder> hooks) throws Exception {
        Map<String, String> withPort = new HashMap<>(env);
        withPort.put("CHAT_PORT", "0");
        RunningServer server = ChatServerApp.start(ServerSettings.fromEnvironment(withPort), hooks);
        cleanup.add(server::stop);
        return server;
    }

    /** The system's time when made, then a millisecond further at every reading. */
    private static final class TickingClock extends Clock {
        private final long start = System.currentTimeMillis();
        private final AtomicLong readings = new AtomicLong();

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(start + readings.incrementAndGet());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** Reads an entry of {@code GET /api/chats}. */
    private static final class ChatListShape {
        static String chatId(JsonNode entry) {
            return entry.has("chat") ? entry.path("chat").path("id").asText() : entry.path("id").asText();
        }

        static JsonNode lastMessage(JsonNode entry) {
            return entry.path("lastMessage");
        }

        static List<String> participants(JsonNode entry) {
            JsonNode chat = entry.has("chat") ? entry.path("chat") : entry;
            List<String> users = new ArrayList<>();
            chat.path("participants").forEach(user -> users.add(user.asText()));
            return users;
        }
    }
}
