package dev.chatwire.jakarta;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chatwire.core.ChatEngine;
import dev.chatwire.core.ChatLimits;
import dev.chatwire.core.RateLimit;
import dev.chatwire.core.SocketSettings;
import dev.chatwire.core.jwt.JwtTokenVerifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-user REST rates, on Jetty: the engine's clock stands still, so no bucket refills during a test and each
 * {@code Retry-After} is exact. The limiter is the servlet's, the same on every container.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestRateLimitTest {

    private static final AtomicInteger USERS = new AtomicInteger();

    private final RecordingMediaStore media = new RecordingMediaStore();
    private ChatEngine engine;
    private TestServer server;
    private Rest rest;

    @BeforeAll
    void start() throws Exception {
        engine = ChatEngine.builder()
                .tokenVerifier(JwtTokenVerifier.hs256(Tokens.SECRET).build())
                .mediaStore(media)
                .inMemory()
                .clock(Clock.fixed(Instant.now(), ZoneOffset.UTC))
                .limits(ChatLimits.defaults().toBuilder()
                        .restSendRate(RateLimit.of(1, 3))
                        .chatCreationRate(RateLimit.of(0.5, 2))
                        .uploadRate(RateLimit.of(0.25, 1))
                        .build())
                .build();
        server = JettyHost.start(engine, SocketSettings.builder().build());
        rest = new Rest(server.port());
    }

    @AfterAll
    void stop() throws Exception {
        engine.close();
        server.stop();
    }

    @Test
    void sendsOverTheUsersRateAre429WithRetryAfterOnBothRoutesAndOtherUsersStillSend() {
        String alice = user("alice");
        String bob = user("bob");
        String chatId = rest.createChat(alice, bob);
        for (int i = 0; i < 3; i++) {
            rest.sendText(alice, chatId, "m" + i);
        }

        HttpResponse<String> refused = rest.postJson("/api/messages", Tokens.valid(alice),
                "{\"chatId\":\"" + chatId + "\",\"text\":\"one too many\"}");
        HttpResponse<String> refusedByPath = rest.postJson("/api/chats/" + chatId + "/messages",
                Tokens.valid(alice), "{\"text\":\"one too many\"}");

        for (HttpResponse<String> response : java.util.List.of(refused, refusedByPath)) {
            assertThat(response.statusCode()).isEqualTo(429);
            assertThat(Rest.json(response).path("error").path("code").asText()).isEqualTo("rate_limited");
            assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        }
        rest.sendText(bob, chatId, "bob's own rate");
        assertThat(Rest.json(rest.get("/api/chats/" + chatId + "/messages", Tokens.valid(alice))).path("messages"))
                .hasSize(4);
    }

    @Test
    void changesToMessagesCountAgainstTheSendRateAndOneOverItChangesNothing() {
        String alice = user("alice");
        String chatId = rest.createChat(alice, user("bob"));
        HttpResponse<String> sent = rest.postJson("/api/messages", Tokens.valid(alice),
                "{\"chatId\":\"" + chatId + "\",\"text\":\"hello\"}");
        String messageId = Rest.json(sent).path("messages").get(0).path("id").asText();
        String path = "/api/chats/" + chatId + "/messages/" + messageId;
        assertThat(rest.patchJson(path, Tokens.valid(alice), "{\"text\":\"hello, edited\"}").statusCode())
                .isEqualTo(200);
        assertThat(rest.put(path + "/reactions/%F0%9F%91%8D", Tokens.valid(alice)).statusCode()).isEqualTo(200);

        HttpResponse<String> refused = rest.delete(path, Tokens.valid(alice));

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(Rest.json(refused).path("error").path("code").asText()).isEqualTo("rate_limited");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        JsonNode message = Rest.json(rest.get("/api/chats/" + chatId + "/messages", Tokens.valid(alice)))
                .path("messages").get(0);
        assertThat(message.path("deleted").asBoolean()).isFalse();
        assertThat(message.path("text").asText()).isEqualTo("hello, edited");
    }

    @Test
    void chatCreationsOverTheUsersRateAre429AndCreateNothing() {
        String alice = user("alice");
        rest.createChat(alice, user("bob"));
        rest.createChat(alice, user("bob"));

        HttpResponse<String> refused = rest.postJson("/api/chats", Tokens.valid(alice),
                "{\"participants\":[\"" + user("carol") + "\"]}");

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(Rest.json(rest.get("/api/chats", Tokens.valid(alice))).path("chats")).hasSize(2);
    }

    @Test
    void uploadsOverTheUsersRateAre429AndStoreNothing() {
        String alice = user("alice");
        String chatId = rest.createChat(alice, user("bob"));
        HttpResponse<String> first = rest.post("/api/chats/" + chatId + "/messages", Tokens.valid(alice),
                new Rest.Multipart().field("text", "first"));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);

        HttpResponse<String> refused = rest.post("/api/chats/" + chatId + "/messages", Tokens.valid(alice),
                new Rest.Multipart().file("files", "notes.txt", "text/plain", "hello".getBytes()));

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("4");
        assertThat(media.putsFor(chatId)).isZero();
    }

    private static String user(String name) {
        return name + "-" + USERS.incrementAndGet();
    }
}
