package dev.chatwire.jakarta;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chatwire.core.ChatEngine;
import dev.chatwire.core.ChatLimits;
import dev.chatwire.core.RateLimit;
import dev.chatwire.core.SocketSettings;
import dev.chatwire.core.jwt.JwtTokenVerifier;
import jakarta.websocket.DeploymentException;
import org.eclipse.jetty.ee10.websocket.jakarta.client.JakartaWebSocketClientContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The REST routes of a chat's timeline end to end, on a real container with real clients: edits, deletes and
 * reactions ({@code message_updated} on the sockets), the chat list and read marks. Each container extends it once;
 * every test uses users of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TimelineRestSuite {

    private static final String ORIGIN = "http://app.chatwire.test";
    private static final int MAX_REACTIONS = 5;
    private static final AtomicInteger USERS = new AtomicInteger();

    private ChatEngine engine;
    private TestServer server;
    private JakartaWebSocketClientContainer client;
    private Rest rest;
    private final List<TestSocket> sockets = new CopyOnWriteArrayList<>();

    /** Starts the container under test, serving this engine's sockets with these rules. */
    protected abstract TestServer startServer(ChatEngine engine, SocketSettings settings) throws Exception;

    @BeforeAll
    void startServerAndClients() throws Exception {
        engine = ChatEngine.builder()
                .tokenVerifier(JwtTokenVerifier.hs256(Tokens.SECRET).build())
                .inMemory()
                .clock(new DistinctMillisClock())
                .limits(ChatLimits.defaults().toBuilder()
                        .maxReactionsPerMessage(MAX_REACTIONS)
                        // RestRateLimitTest tests the rates.
                        .restSendRate(RateLimit.unlimited())
                        .build())
                .build();
        server = startServer(engine, SocketSettings.builder().allowedOrigins(ORIGIN).build());
        client = new JakartaWebSocketClientContainer();
        client.start();
        rest = new Rest(server.port());
    }

    @AfterEach
    void closeSockets() {
        sockets.stream().filter(TestSocket::isOpen).forEach(TestSocket::close);
        sockets.clear();
    }

    @AfterAll
    void stopEverything() throws Exception {
        client.stop();
        engine.close();
        server.stop();
    }

    // Edits, deletes and reactions

    @Test
    void editReactAndDeleteOverRestReachEveryConnectedSocketAsMessageUpdated() {
        String alice = user("alice");
        String bob = user("bob");
        String chatId = rest.createChat(alice, bob);
        TestSocket alicePhone = connectAs(alice);
        TestSocket bobPhone = connectAs(bob);
        JsonNode sent = send(alice, chatId, "hello");
        String messageId = sent.path("id").asText();

        JsonNode edited = answer(rest.patchJson(messagePath(chatId, messageId), Tokens.valid(alice),
                "{\"text\":\"hello, edited\"}"));
        assertThat(edited.path("seq").asLong()).isEqualTo(2);
        assertThat(edited.path("message").path("seq").asLong()).isEqualTo(1);
        assertThat(edited.path("message").path("text").asText()).isEqualTo("hello, edited");
        assertThat(edited.path("message").path("editedAt").isTextual()).isTrue();
        for (TestSocket socket : List.of(alicePhone, bobPhone)) {
            JsonNode updated = socket.awaitEvent("message_updated", e -> e.path("seq").asLong() == 2);
            assertThat(updated.path("chatId").asText()).isEqualTo(chatId);
            assertThat(updated.path("message")).isEqualTo(edited.path("message"));
        }

        JsonNode reacted = answer(rest.put(reactionPath(chatId, messageId, "👍"), Tokens.valid(bob)));
        assertThat(reacted.path("seq").asLong()).isEqualTo(3);
        assertThat(reacted.path("message").path("reactions").path("👍")).hasSize(1);
        assertThat(reacted.path("message").path("reactions").path("👍").get(0).asText()).isEqualTo(bob);
        alicePhone.awaitEvent("message_updated", e -> e.path("seq").asLong() == 3
                && e.path("message").path("reactions").has("👍"));

        JsonNode unreacted = answer(rest.delete(reactionPath(chatId, messageId, "👍"), Tokens.valid(bob)));
        assertThat(unreacted.path("seq").asLong()).isEqualTo(4);
        assertThat(unreacted.path("message").has("reactions")).as("absent when none").isFalse();

        JsonNode deleted = answer(rest.delete(messagePath(chatId, messageId), Tokens.valid(alice)));
        assertThat(deleted.path("seq").asLong()).isEqualTo(5);
        assertThat(deleted.path("message").path("deleted").asBoolean()).isTrue();
        assertThat(deleted.path("message").has("text")).isFalse();
        bobPhone.awaitEvent("message_updated", e -> e.path("seq").asLong() == 5
                && e.path("message").path("deleted").asBoolean());
    }

    @Test
    void onlyTheSenderEditsOrDeletesAndARefusedChangeReachesNobody() {
        String alice = user("alice");
        String bob = user("bob");
        String mallory = user("mallory");
        String chatId = rest.createChat(alice, bob);
        TestSocket alicePhone = connectAs(alice);
        String messageId = send(alice, chatId, "mine").path("id").asText();

        HttpResponse<String> edit = rest.patchJson(messagePath(chatId, messageId), Tokens.valid(bob),
                "{\"text\":\"yours now\"}");
        HttpResponse<String> delete = rest.delete(messagePath(chatId, messageId), Tokens.valid(bob));
        HttpResponse<String> outsider = rest.put(reactionPath(chatId, messageId, "👍"), Tokens.valid(mallory));

        assertError(edit, 403, "forbidden");
        assertError(delete, 403, "forbidden");
        assertError(outsider, 403, "forbidden");
        alicePhone.assertNone("message_updated", e -> true);
        assertThat(history(alice, chatId).get(0).path("text").asText()).isEqualTo("mine");
    }

    @Test
    void aMissingMessageIsNotFoundAndADeletedOneCannotBeEdited() {
        String alice = user("alice");
        String chatId = rest.createChat(alice, user("bob"));
        String messageId = send(alice, chatId, "soon gone").path("id").asText();
        answer(rest.delete(messagePath(chatId, messageId), Tokens.valid(alice)));

        assertError(rest.patchJson(messagePath(chatId, "no-such-message"), Tokens.valid(alice), "{\"text\":\"x\"}"),
                404, "not_found");
        assertError(rest.patchJson(messagePath(chatId, messageId), Tokens.valid(alice), "{\"text\":\"back\"}"),
                400, "invalid");
        assertError(rest.put(reactionPath(chatId, messageId, "👍"), Tokens.valid(alice)), 400, "invalid");
    }

    @Test
    void reactionsOfSeveralCodePointsRoundTripThroughThePathSegment() {
        String alice = user("alice");
        String bob = user("bob");
        String chatId = rest.createChat(alice, bob);
        TestSocket bobPhone = connectAs(bob);
        String messageId = send(alice, chatId, "react to me").path("id").asText();
        // A plain emoji, one with a skin tone, a ZWJ family, one with a variation selector, and a flag.
        List<String> emoji = List.of("👍", "👍🏽", "👩‍👩‍👧", "❤️", "🇺🇦");

        for (String each : emoji) {
            JsonNode reacted = answer(rest.put(reactionPath(chatId, messageId, each), Tokens.valid(alice)));
            assertThat(reacted.path("message").path("reactions").has(each)).as(each).isTrue();
        }

        JsonNode last = bobPhone.awaitEvent("message_updated",
                e -> e.path("message").path("reactions").size() == emoji.size());
        assertThat(fieldNames(last.path("message").path("reactions"))).containsExactlyElementsOf(emoji);
        assertThat(fieldNames(history(bob, chatId).get(0).path("reactions"))).containsExactlyElementsOf(emoji);
        JsonNode removed = answer(rest.delete(reactionPath(chatId, messageId, "👩‍👩‍👧"), Tokens.valid(alice)));
        assertThat(fieldNames(removed.path("message").path("reactions"))).containsExactly("👍", "👍🏽", "❤️", "🇺🇦");
    }

    @Test
    void aReactionIsOneEmojiAndAMessageTakesALimitedNumberOfThem() {
        String alice = user("alice");
        String chatId = rest.createChat(alice, user("bob"));
        String messageId = send(alice, chatId, "react to me").path("id").asText();
        List<String> allowed = List.of("😀", "😁", "😂", "🤣", "😃");
        allowed.forEach(each -> answer(rest.put(reactionPath(chatId, messageId, each), Tokens.valid(alice))));

        assertError(rest.put(reactionPath(chatId, messageId, "abc"), Tokens.valid(alice)), 400, "invalid");
        assertError(rest.put(reactionPath(chatId, messageId, "😄"), Tokens.valid(alice)), 413, "too_large");
        assertThat(fieldNames(history(alice, chatId).get(0).path("reactions"))).containsExactlyElementsOf(allowed);
    }

    @Test
    void theChangeRoutesRefuseOtherMethodsAndBadBodies() {
        String alice = user("alice");
        String chatId = rest.createChat(alice, user("bob"));
        String messageId = send(alice, chatId, "hello").path("id").asText();
        String path = messagePath(chatId, messageId);

        HttpResponse<String> get = rest.get(path, Tokens.valid(alice));
        assertError(get, 405, "invalid");
        assertThat(get.headers().firstValue("Allow")).hasValue("PATCH, DELETE");
        HttpResponse<String> post = rest.postJson(reactionPath(chatId, messageId, "👍"), Tokens.valid(alice), "{}");
        assertError(post, 405, "invalid");
        assertThat(post.headers().firstValue("Allow")).hasValue("PUT, DELETE");
        assertError(rest.patch(path, Tokens.valid(alice), "text/plain", "new text"), 415, "unsupported_media_type");
        assertError(rest.patchJson(path, Tokens.valid(alice), "{}"), 400, "invalid");
        assertError(rest.patchJson(path, Tokens.valid(alice), "{\"text\":\"a\",\"text\":\"b\"}"), 400, "invalid");
        String tooLong = "x".repeat(engine.limits().maxTextChars() + 1);
        assertError(rest.patchJson(path, Tokens.valid(alice), "{\"text\":\"" + tooLong + "\"}"), 413, "too_large");
        assertError(rest.patchJson(path, null, "{\"text\":\"x\"}"), 401, "unauthorized");
        assertThat(history(alice, chatId).get(0).path("text").asText()).isEqualTo("hello");
    }

    // The timeline on resume and in history

    @Test
    void changesMadeWhileOfflineAreReplayedOnResumeInSeqOrderOnceInTheirCurrentState() {
        String alice = user("alice");
        String bob = user("bob");
        String chatId = rest.createChat(alice, bob);
        TestSocket bobPhone = connectAs(bob);
        String first = send(alice, chatId, "one").path("id").asText();
        String second = send(alice, chatId, "two").path("id").asText();
        bobPhone.awaitEvent("new_message", e -> e.path("message").path("seq").asLong() == 2);
        bobPhone.close();

        answer(rest.patchJson(messagePath(chatId, first), Tokens.valid(alice), "{\"text\":\"one, edited\"}"));
        String third = send(alice, chatId, "three").path("id").asText();
        answer(rest.put(reactionPath(chatId, second, "👍"), Tokens.valid(alice)));
        answer(rest.delete(messagePath(chatId, third), Tokens.valid(alice)));
        TestSocket bobAgain = connectAs(bob, Map.of(chatId, 2L));

        bobAgain.awaitEvent("message_updated", e -> e.path("seq").asLong() == 6);
        bobAgain.assertNone("new_message", e -> e.path("message").path("seq").asLong() <= 2);
        List<JsonNode> replayed = timeline(bobAgain, chatId);
        assertThat(replayed).extracting(TimelineRestSuite::entrySeq).containsExactly(3L, 4L, 5L, 6L);
        assertThat(replayed.get(0).path("message").path("text").asText()).isEqualTo("one, edited");
        assertThat(replayed.get(1).path("type").asText()).isEqualTo("new_message");
        assertThat(replayed.get(1).path("message").path("deleted").asBoolean())
                .as("a replayed message shows its current state").isTrue();
        assertThat(replayed.get(2).path("message").path("reactions").has("👍")).isTrue();

        List<JsonNode> history = history(bob, chatId);
        assertThat(history).extracting(m -> m.path("seq").asLong()).as("no change seqs").containsExactly(1L, 2L, 4L);
        assertThat(history.get(0).path("text").asText()).isEqualTo("one, edited");
        assertThat(history.get(1).path("reactions").has("👍")).isTrue();
        assertThat(history.get(2).path("deleted").asBoolean()).isTrue();
    }

    // Read marks and the chat list

    @Test
    void aReadMarkAnswersTheStoredSeqWhichNeverMovesBackNorPassesTheNewest() {
        String alice = user("alice");
        String bob = user("bob");
        String chatId = rest.createChat(alice, bob);
        TestSocket alicePhone = connectAs(alice);
        send(alice, chatId, "one");
        send(alice, chatId, "two");
        send(alice, chatId, "three");
        String path = "/api/chats/" + chatId + "/read";

        JsonNode read = answer(rest.postJson(path, Tokens.valid(bob), "{\"seq\":2}"));
        assertThat(read.path("chatId").asText()).isEqualTo(chatId);
        assertThat(read.path("lastRead").asLong()).isEqualTo(2);
        alicePhone.awaitEvent("read", e -> e.path("userId").asText().equals(bob) && e.path("seq").asLong() == 2);
        assertThat(answer(rest.postJson(path, Tokens.valid(bob), "{\"seq\":1}")).path("lastRead").asLong())
                .as("never back").isEqualTo(2);
        assertThat(answer(rest.postJson(path, Tokens.valid(bob), "{\"seq\":99}")).path("lastRead").asLong())
                .as("capped at the newest seq").isEqualTo(3);
        assertError(rest.postJson(path, Tokens.valid(bob), "{\"seq\":-1}"), 400, "invalid");
        assertError(rest.postJson(path, Tokens.valid(user("mallory")), "{\"seq\":1}"), 403, "forbidden");

        JsonNode bobsEntry = chats(bob, "").path("chats").get(0);
        assertThat(bobsEntry.path("lastRead").asLong()).isEqualTo(3);
        assertThat(bobsEntry.path("unread").asLong()).isZero();
    }

    @Test
    void theChatListIsNewestActivityFirstAndPagesWithACursor() {
        String alice = user("alice");
        String bob = user("bob");
        String older = rest.createChat(alice, bob);
        String middle = rest.createChat(alice, bob);
        String newer = rest.createChat(alice, bob);
        send(bob, older, "the latest activity");

        // A chat's activity is written off the delivery path, a moment after its message.
        await().untilAsserted(() -> assertThat(ids(chats(alice, "?limit=2"))).containsExactly(older, newer));
        JsonNode first = chats(alice, "?limit=2");
        assertThat(ids(first)).containsExactly(older, newer);
        assertThat(first.path("nextCursor").isTextual()).isTrue();
        JsonNode second = chats(alice, "?limit=2&before="
                + URLEncoder.encode(first.path("nextCursor").asText(), StandardCharsets.UTF_8));
        assertThat(ids(second)).containsExactly(middle);
        assertThat(second.has("nextCursor")).as("absent on the last page").isFalse();
        assertThat(ids(chats(alice, ""))).as("the default page holds them all").containsExactly(older, newer, middle);
        assertError(rest.get("/api/chats?limit=0", Tokens.valid(alice)), 400, "invalid");
        assertError(rest.get("/api/chats?limit=abc", Tokens.valid(alice)), 400, "invalid");
        assertError(rest.get("/api/chats?before=not-a-cursor", Tokens.valid(alice)), 400, "invalid");
        assertError(rest.delete("/api/chats", Tokens.valid(alice)), 405, "invalid");
    }

    @Test
    void eachChatListEntryKeepsTheChatsFieldsBesideItsLastMessageAndReadState() {
        String alice = user("alice");
        String bob = user("bob");
        String chatId = rest.createChat(alice, bob);
        String empty = rest.createChat(alice, bob);
        send(alice, chatId, "one");
        String lastId = send(alice, chatId, "two").path("id").asText();
        answer(rest.patchJson(messagePath(chatId, lastId), Tokens.valid(alice), "{\"text\":\"two, edited\"}"));
        answer(rest.postJson("/api/chats/" + chatId + "/read", Tokens.valid(alice), "{\"seq\":2}"));
        answer(rest.postJson("/api/chats/" + chatId + "/read", Tokens.valid(bob), "{\"seq\":1}"));

        // The chat with messages moves up a moment after them: its activity is written off the delivery path.
        await().untilAsserted(() -> assertThat(chats(bob, "").path("chats").get(0).path("activityAt").asText())
                .isEqualTo(chats(bob, "").path("chats").get(0).path("lastMessage").path("createdAt").asText()));
        JsonNode bobsList = chats(bob, "");
        JsonNode entry = bobsList.path("chats").get(0);
        assertThat(entry.path("id").asText()).isEqualTo(chatId);
        assertThat(entry.path("participants")).hasSize(2);
        assertThat(entry.path("name").asText()).isEqualTo("test chat");
        assertThat(entry.path("owner").asText()).isEqualTo(alice);
        assertThat(entry.path("createdAt").isTextual()).isTrue();
        assertThat(entry.has("chat")).as("the chat's fields are the entry's own").isFalse();
        assertThat(entry.path("lastMessage").path("text").asText()).isEqualTo("two, edited");
        assertThat(entry.path("lastRead").asLong()).isEqualTo(1);
        assertThat(entry.path("unread").asLong()).isEqualTo(1);
        assertThat(entry.path("readBy").path(alice).asLong()).isEqualTo(2);
        assertThat(entry.path("readBy").has(bob)).as("the user's own read seq is lastRead").isFalse();
        assertThat(entry.path("activityAt").asText()).isEqualTo(entry.path("lastMessage").path("createdAt").asText());
        JsonNode emptyEntry = bobsList.path("chats").get(1);
        assertThat(emptyEntry.path("id").asText()).isEqualTo(empty);
        assertThat(emptyEntry.has("lastMessage")).as("absent when none").isFalse();
        assertThat(emptyEntry.path("unread").asLong()).isZero();
        assertThat(emptyEntry.path("activityAt").asText()).isEqualTo(emptyEntry.path("createdAt").asText());
    }

    // Helpers

    private static String user(String name) {
        return name + "-" + USERS.incrementAndGet();
    }

    private static String messagePath(String chatId, String messageId) {
        return "/api/chats/" + chatId + "/messages/" + messageId;
    }

    /** The emoji percent-encoded as UTF-8, as a browser's {@code encodeURIComponent} sends it. */
    private static String reactionPath(String chatId, String messageId, String emoji) {
        return messagePath(chatId, messageId) + "/reactions/" + URLEncoder.encode(emoji, StandardCharsets.UTF_8);
    }

    private JsonNode send(String sender, String chatId, String text) {
        HttpResponse<String> response = rest.postJson("/api/messages", Tokens.valid(sender),
                "{\"chatId\":\"" + chatId + "\",\"text\":\"" + text + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return Rest.json(response).path("messages").get(0);
    }

    private List<JsonNode> history(String user, String chatId) {
        JsonNode body = answer(rest.get("/api/chats/" + chatId + "/messages", Tokens.valid(user)));
        return StreamSupport.stream(body.path("messages").spliterator(), false).toList();
    }

    private JsonNode chats(String user, String query) {
        return answer(rest.get("/api/chats" + query, Tokens.valid(user)));
    }

    private static List<String> ids(JsonNode chatList) {
        return StreamSupport.stream(chatList.path("chats").spliterator(), false)
                .map(entry -> entry.path("id").asText()).toList();
    }

    private static List<String> fieldNames(JsonNode object) {
        return StreamSupport.stream(((Iterable<String>) object::fieldNames).spliterator(), false).toList();
    }

    /** The chat's timeline events a socket received, in order: messages and changes. */
    private static List<JsonNode> timeline(TestSocket socket, String chatId) {
        return socket.all(e -> (e.path("type").asText().equals("new_message")
                || e.path("type").asText().equals("message_updated"))
                && e.path("message").path("chatId").asText().equals(chatId));
    }

    /** A timeline event's seq: a new message's own, or a change's. */
    private static long entrySeq(JsonNode event) {
        return event.path("type").asText().equals("new_message")
                ? event.path("message").path("seq").asLong() : event.path("seq").asLong();
    }

    private static JsonNode answer(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        return Rest.json(response);
    }

    private static void assertError(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(Rest.json(response).path("error").path("code").asText()).isEqualTo(code);
    }

    private TestSocket connectAs(String userId) {
        return connectAs(userId, Map.of());
    }

    private TestSocket connectAs(String userId, Map<String, Long> resume) {
        try {
            TestSocket socket = TestSocket.open(client, URI.create("ws://127.0.0.1:" + server.port() + "/ws"),
                    ORIGIN, null);
            sockets.add(socket);
            Map<String, Object> connect = new HashMap<>();
            connect.put("type", "connect");
            connect.put("token", Tokens.valid(userId));
            connect.put("resume", resume);
            socket.send(connect);
            socket.awaitEvent("connected");
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (DeploymentException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The system clock, but never the same millisecond twice: chats created and messages sent one after another get
     * distinct times, so the list's order by activity needs no tie broken.
     */
    private static final class DistinctMillisClock extends Clock {

        private final AtomicLong last = new AtomicLong();

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("UTC only");
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(last.updateAndGet(previous -> Math.max(previous + 1,
                    System.currentTimeMillis())));
        }
    }
}
