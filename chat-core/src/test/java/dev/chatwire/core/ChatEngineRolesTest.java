package dev.chatwire.core;

import dev.chatwire.core.spi.ChatStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static dev.chatwire.core.EngineFixture.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Who may add and remove participants and name admins. */
class ChatEngineRolesTest {

    private final EngineFixture fixture = new EngineFixture();
    private final ChatEngine engine = fixture.engine;

    @AfterEach
    void close() {
        fixture.close();
    }

    private static void assertForbidden(Runnable request) {
        assertThatThrownBy(request::run).isInstanceOfSatisfying(ChatException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
    }

    @Test
    void theCreatorOwnsTheChat() {
        Chat chat = engine.createChat(user("alice"), List.of("bob"), null);
        assertThat(chat.owner()).isEqualTo("alice");
        assertThat(chat.isManagedBy("alice")).isTrue();
        assertThat(chat.isManagedBy("bob")).isFalse();
    }

    @Test
    void aPlainMemberCanNeitherAddNorRemoveOthersButTheOwnerCan() {
        Chat chat = engine.createChat(user("alice"), List.of("bob", "carol"), null);

        assertForbidden(() -> engine.addParticipant(user("bob"), chat.id(), "mallory"));
        assertForbidden(() -> engine.removeParticipant(user("bob"), chat.id(), "carol"));
        assertForbidden(() -> engine.removeParticipant(user("bob"), chat.id(), "alice"));
        assertThat(fixture.chats.find(chat.id()).orElseThrow().participants())
                .containsExactlyInAnyOrder("alice", "bob", "carol");

        engine.addParticipant(user("alice"), chat.id(), "dave");
        Chat updated = engine.removeParticipant(user("alice"), chat.id(), "carol");
        assertThat(updated.participants()).containsExactlyInAnyOrder("alice", "bob", "dave");
    }

    @Test
    void anyoneMayLeaveTheOwnerToo() {
        Chat chat = engine.createChat(user("alice"), List.of("bob"), null);

        assertThat(engine.removeParticipant(user("bob"), chat.id(), "bob").participants()).containsExactly("alice");
        engine.addParticipant(user("alice"), chat.id(), "bob");
        Chat ownerless = engine.removeParticipant(user("alice"), chat.id(), "alice");

        assertThat(ownerless.participants()).containsExactly("bob");
        assertForbidden(() -> engine.addParticipant(user("bob"), chat.id(), "carol"));
    }

    @Test
    void anAdminManagesMembersButNotTheOwnerOrOtherAdmins() {
        Chat chat = engine.createChat(user("alice"), List.of("bob", "carol", "dave"), null);
        engine.setAdmin(user("alice"), chat.id(), "bob", true);
        engine.setAdmin(user("alice"), chat.id(), "carol", true);

        engine.addParticipant(user("bob"), chat.id(), "erin");
        engine.removeParticipant(user("bob"), chat.id(), "dave");
        assertForbidden(() -> engine.removeParticipant(user("bob"), chat.id(), "alice"));
        assertForbidden(() -> engine.removeParticipant(user("bob"), chat.id(), "carol"));

        assertThat(fixture.chats.find(chat.id()).orElseThrow().participants())
                .containsExactlyInAnyOrder("alice", "bob", "carol", "erin");
    }

    @Test
    void onlyTheOwnerNamesAndDismissesAdmins() {
        Chat chat = engine.createChat(user("alice"), List.of("bob", "carol"), null);
        engine.setAdmin(user("alice"), chat.id(), "bob", true);

        assertForbidden(() -> engine.setAdmin(user("bob"), chat.id(), "carol", true));
        assertForbidden(() -> engine.setAdmin(user("mallory"), chat.id(), "mallory", true));
        assertThatThrownBy(() -> engine.setAdmin(user("alice"), chat.id(), "mallory", true))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID));

        Chat dismissed = engine.setAdmin(user("alice"), chat.id(), "bob", false);
        assertThat(dismissed.admins()).isEmpty();
        assertForbidden(() -> engine.addParticipant(user("bob"), chat.id(), "dave"));
    }

    @Test
    void aChatStoredBeforeOwnersExistedCanOnlyBeLeft() {
        Chat stored = fixture.chats.create("alice", Set.of("alice", "bob", "carol"), null,
                java.time.Instant.now());
        ChatStore beforeOwners = new DelegatingChatStore(fixture.chats) {
            @Override
            public Optional<Chat> find(String chatId) {
                return super.find(chatId).map(c -> new Chat(c.id(), c.participants(), c.name(), c.createdAt()));
            }
        };
        try (EngineFixture old = new EngineFixture()) {
            ChatEngine legacy = old.builder().chatStore(beforeOwners).build();
            try {
                assertForbidden(() -> legacy.addParticipant(user("alice"), stored.id(), "mallory"));
                assertForbidden(() -> legacy.removeParticipant(user("alice"), stored.id(), "bob"));
                assertForbidden(() -> legacy.setAdmin(user("alice"), stored.id(), "bob", true));
                assertThat(legacy.removeParticipant(user("bob"), stored.id(), "bob").participants())
                        .containsExactlyInAnyOrder("alice", "carol");
            } finally {
                legacy.close();
            }
        }
    }
}
