package dev.chatwire.core;

import dev.chatwire.core.protocol.ProtocolCodec;
import dev.chatwire.core.protocol.ServerEvent;
import dev.chatwire.core.spi.RoomEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import static dev.chatwire.core.EngineFixture.user;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A removal and a re-adding of the same user made at the same moment, on two nodes: however their announcements
 * interleave, the user ends a member, and its sockets receive the chat again.
 */
class ChatEngineReAddRaceTest {

    private final EngineFixture fixture = new EngineFixture();
    /** Node A, where the removal and the re-adding are made. */
    private final ChatEngine nodeA = fixture.engine;
    /** Node B, sharing the stores and the broadcaster, where bob is connected. */
    private final ChatEngine nodeB = fixture.builder().build();

    @AfterEach
    void close() {
        nodeB.close();
        fixture.close();
    }

    @Test
    void aUserReAddedWhileItsRemovalWasStillBeingAnnouncedReceivesTheChatAgain() {
        Chat chat = nodeA.createChat(user("alice"), Set.of("bob"), null);
        FakeConnection bob = EngineFixture.connect(nodeB, "bob", Map.of());

        // The removal's three steps, with a re-adding that sees bob gone between the first and the others: the
        // re-adding's join seq is read before the removal's entry is stored, and its chat_joined comes first.
        fixture.chats.removeParticipant(chat.id(), "bob");
        nodeA.addParticipant(user("alice"), chat.id(), "bob");
        fixture.messages.recordRemoval(chat.id(), "bob", Instant.now());
        fixture.broadcaster.publish(LocalRooms.userRoom("bob"), new RoomEvent("chat_left", chat.id(), 0,
                new ProtocolCodec().encode(new ServerEvent.ChatLeft(chat.id()))));
        fixture.awaitIdle();
        // Its first message meets the removal's entry in the timeline.
        nodeA.send(user("alice"), chat.id(), "after the race", null);
        fixture.awaitIdle();

        nodeA.send(user("alice"), chat.id(), "once settled", null);

        assertThat(fixture.chats.find(chat.id()).orElseThrow().hasParticipant("bob")).isTrue();
        bob.awaitFrame("new_message", frame -> frame.path("message").path("text").asText().equals("once settled"));
    }
}
