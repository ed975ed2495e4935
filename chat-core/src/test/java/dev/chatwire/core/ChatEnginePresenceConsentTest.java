package dev.chatwire.core;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.chatwire.core.EngineFixture.sendFrame;
import static dev.chatwire.core.EngineFixture.user;
import static org.assertj.core.api.Assertions.assertThat;

/** A user's presence shows only in chats it created or accepted (by sending or reading there). */
class ChatEnginePresenceConsentTest {

    private final EngineFixture fixture = new EngineFixture();
    private final ChatEngine engine = fixture.engine;

    @AfterEach
    void close() {
        fixture.close();
    }

    private static boolean presenceOf(com.fasterxml.jackson.databind.JsonNode frame, String userId, boolean online) {
        return frame.path("userId").asText().equals(userId) && frame.path("online").asBoolean() == online;
    }

    @Test
    void aChatSomeoneAddedTheVictimToExposesNothingUntilTheVictimSendsThere() {
        FakeConnection victim = fixture.connect("victim");
        Chat chat = engine.createChat(user("attacker"), List.of("victim"), null);
        FakeConnection attacker = fixture.connect("attacker");
        victim.awaitFrame("chat_joined");
        FakeConnection victimLaptop = fixture.connect("victim");
        victimLaptop.session.onClose();
        fixture.awaitIdle();

        assertThat(engine.presence(user("attacker"), List.of("victim"))).containsEntry("victim", false);
        assertThat(attacker.ofType("presence")).noneMatch(f -> f.path("userId").asText().equals("victim"));

        engine.send(user("victim"), chat.id(), "hi", null);

        assertThat(engine.presence(user("attacker"), List.of("victim"))).containsEntry("victim", true);
        attacker.awaitFrame("presence", f -> presenceOf(f, "victim", true));
        victim.session.onClose();
        attacker.awaitFrame("presence", f -> presenceOf(f, "victim", false));
    }

    @Test
    void readingOverTheSocketAcceptsTheChatToo() {
        FakeConnection victim = fixture.connect("victim");
        Chat chat = engine.createChat(user("attacker"), List.of("victim"), null);
        victim.awaitFrame("chat_joined");
        assertThat(engine.presence(user("attacker"), List.of("victim"))).containsEntry("victim", false);

        sendFrame(victim, "{\"type\":\"read\",\"chatId\":\"" + chat.id() + "\",\"seq\":0}");

        assertThat(victim.ofType("error")).isEmpty();
        assertThat(engine.presence(user("attacker"), List.of("victim"))).containsEntry("victim", true);
    }

    @Test
    void aUserRemovedAndAddedAgainMustAcceptAgain() {
        fixture.connect("victim");
        Chat chat = engine.createChat(user("attacker"), List.of("victim"), null);
        engine.markRead(user("victim"), chat.id(), 0);
        assertThat(engine.presence(user("attacker"), List.of("victim"))).containsEntry("victim", true);

        engine.removeParticipant(user("victim"), chat.id(), "victim");
        engine.addParticipant(user("attacker"), chat.id(), "victim");

        assertThat(engine.presence(user("attacker"), List.of("victim"))).containsEntry("victim", false);
    }

    @Test
    void theCreatorsPresenceShowsToThoseItAdded() {
        Chat chat = engine.createChat(user("alice"), List.of("bob"), null);
        FakeConnection bob = fixture.connect("bob");
        fixture.connect("alice");

        bob.awaitFrame("presence", f -> presenceOf(f, "alice", true));
        assertThat(engine.presence(user("bob"), List.of("alice"))).containsEntry("alice", true);
        assertThat(chat.accepted()).containsExactly("alice");
    }
}
