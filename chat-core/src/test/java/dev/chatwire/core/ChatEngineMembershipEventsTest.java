package dev.chatwire.core;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.chatwire.core.EngineFixture.user;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code chat_updated}: a chat's members hear, live, who was added, removed, made an admin or no longer one. */
class ChatEngineMembershipEventsTest {

    private final EngineFixture fixture = new EngineFixture();
    private final ChatEngine engine = fixture.engine;

    @AfterEach
    void close() {
        fixture.close();
    }

    /** Each {@code chat_updated} the connection got, as "change userId by". */
    private static List<String> changes(FakeConnection connection) {
        return connection.ofType("chat_updated").stream().map(frame -> frame.path("change").asText() + " "
                + frame.path("userId").asText() + " " + frame.path("by").asText()).toList();
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    @Test
    void membersHearEachParticipantAndAdminChangeWithTheChatAsItIsAfterIt() {
        Chat chat = engine.createChat(user("alice"), Set.of("bob"), "team");
        FakeConnection bob = fixture.connect("bob");

        engine.addParticipant(user("alice"), chat.id(), "carol");
        engine.setAdmin(user("alice"), chat.id(), "carol", true);
        engine.setAdmin(user("alice"), chat.id(), "carol", false);
        engine.removeParticipant(user("alice"), chat.id(), "carol");
        engine.removeParticipant(user("bob"), chat.id(), "bob");

        bob.awaitFrame("chat_left");
        fixture.awaitIdle();
        assertThat(changes(bob)).containsExactly("participant_added carol alice", "admin_added carol alice",
                "admin_removed carol alice", "participant_removed carol alice");
        List<JsonNode> updates = bob.ofType("chat_updated");
        assertThat(updates.get(0).path("chatId").asText()).isEqualTo(chat.id());
        assertThat(texts(updates.get(0).path("chat").path("participants"))).contains("carol");
        assertThat(texts(updates.get(1).path("chat").path("admins"))).containsExactly("carol");
        assertThat(texts(updates.get(2).path("chat").path("admins"))).isEmpty();
        assertThat(texts(updates.get(3).path("chat").path("participants"))).doesNotContain("carol");
        assertThat(updates.get(0).path("chat").has("accepted")).isFalse();
    }

    @Test
    void theRemainingMembersHearSomeoneLeaveAndTheLeaverOnThisNodeGetsOnlyChatLeft() {
        Chat chat = engine.createChat(user("alice"), Set.of("bob"), "team");
        FakeConnection alice = fixture.connect("alice");
        FakeConnection bob = fixture.connect("bob");

        engine.removeParticipant(user("bob"), chat.id(), "bob");

        alice.awaitFrame("chat_updated");
        bob.awaitFrame("chat_left");
        fixture.awaitIdle();
        assertThat(changes(alice)).containsExactly("participant_removed bob bob");
        assertThat(changes(bob)).isEmpty();
    }

    @Test
    void aRoleChangeThatChangesNothingIsNotAnnounced() {
        Chat chat = engine.createChat(user("alice"), Set.of("bob", "carol"), "team");
        FakeConnection carol = fixture.connect("carol");

        engine.setAdmin(user("alice"), chat.id(), "bob", false);
        engine.setAdmin(user("alice"), chat.id(), "alice", true);
        engine.addParticipant(user("alice"), chat.id(), "bob");
        engine.setAdmin(user("alice"), chat.id(), "bob", true);
        engine.setAdmin(user("alice"), chat.id(), "bob", true);

        carol.awaitFrame("chat_updated");
        fixture.awaitIdle();
        assertThat(changes(carol)).containsExactly("admin_added bob alice");
    }
}
