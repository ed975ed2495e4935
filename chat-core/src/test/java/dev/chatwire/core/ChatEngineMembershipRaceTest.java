package dev.chatwire.core;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.chatwire.core.EngineFixture.user;
import static org.assertj.core.api.Assertions.assertThat;

/** A removal is applied to the removed user's sockets on this node before {@code removeParticipant} returns. */
class ChatEngineMembershipRaceTest {

    private static final int TRIALS = 200;

    private final EngineFixture fixture = new EngineFixture();
    private final ChatEngine engine = fixture.engine;

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void aMessagePostedRightAfterTheRemovalNeverReachesTheRemovedUsersSocket() {
        FakeConnection bob = fixture.connect("bob");
        for (int trial = 0; trial < TRIALS; trial++) {
            Chat chat = engine.createChat(user("alice"), List.of("bob"), null);
            bob.awaitFrame("chat_joined", frame -> frame.path("chatId").asText().equals(chat.id()));

            engine.removeParticipant(user("alice"), chat.id(), "bob");
            engine.send(user("alice"), chat.id(), "after bob left", null);

            fixture.awaitIdle();
            assertThat(bob.messageSeqs(chat.id())).as("trial %d", trial).isEmpty();
            assertThat(bob.ofType("chat_left").stream().filter(f -> f.path("chatId").asText().equals(chat.id())))
                    .as("trial %d", trial).hasSize(1);
        }
    }

    @Test
    void aUserAddedAndRemovedBeforeTheJoinReachedItsSocketIsNeverJoined() {
        FakeConnection bob = fixture.connect("bob");
        for (int trial = 0; trial < TRIALS; trial++) {
            Chat chat = engine.createChat(user("alice"), List.of(), null);

            engine.addParticipant(user("alice"), chat.id(), "bob");
            engine.removeParticipant(user("alice"), chat.id(), "bob");
            engine.send(user("alice"), chat.id(), "after bob left", null);

            fixture.awaitIdle();
            assertThat(bob.messageSeqs(chat.id())).as("trial %d", trial).isEmpty();
        }
        FakeConnection bobsLaptop = EngineFixture.connect(engine, "bob", Map.of());
        assertThat(bobsLaptop.ofType("connected").get(0).path("chatIds")).isEmpty();
    }
}
