package dev.chatwire.core;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static dev.chatwire.core.EngineFixture.open;
import static dev.chatwire.core.EngineFixture.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** User ids and text are checked where they enter the engine: token subjects, participant lists, sends. */
class ChatEngineInputTest {

    private static final List<String> BAD_USER_IDS = List.of("", "x".repeat(129), "bob\u0000", "bob\nadmin",
            "\u202Eevil", "bo\u200Bb", "\uD800bob", " ");

    private final EngineFixture fixture = new EngineFixture();
    private final ChatEngine engine = fixture.engine;

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void participantsWithMalformedIdsAreRefusedAndNoChatIsCreated() {
        for (String bad : BAD_USER_IDS) {
            assertThatThrownBy(() -> engine.createChat(user("alice"), Set.of(bad), null)).as(escape(bad))
                    .isInstanceOfSatisfying(ChatException.class, e ->
                            assertThat(e.code()).isEqualTo(ErrorCode.INVALID));
        }
        assertThat(fixture.chats.chatsOf("alice")).isEmpty();
    }

    @Test
    void addingAParticipantWithAMalformedIdIsRefused() {
        Chat chat = fixture.chat("alice", "bob");
        for (String bad : BAD_USER_IDS) {
            assertThatThrownBy(() -> engine.addParticipant(user("alice"), chat.id(), bad)).as(escape(bad))
                    .isInstanceOfSatisfying(ChatException.class, e ->
                            assertThat(e.code()).isEqualTo(ErrorCode.INVALID));
        }
        assertThat(fixture.chats.chatsOf("alice")).singleElement()
                .satisfies(stored -> assertThat(stored.participants()).containsExactlyInAnyOrder("alice", "bob"));
    }

    @Test
    void idsAtTheLimitAndBeyondAsciiAreAccepted() {
        Chat chat = engine.createChat(user("alice"), Set.of("x".repeat(128), "zoë", "用户", "😀"), null);
        assertThat(chat.participants()).hasSize(5);
    }

    @Test
    void aTokenWhoseSubjectIsNotAValidUserIdClosesTheSocketWithUnauthorized() {
        for (String bad : List.of("al\u0007ice", "x".repeat(129), "\u202Ealice")) {
            FakeConnection connection = open(engine);
            connection.session.authenticate("valid:" + bad, java.util.Map.of());
            connection.awaitClosed();
            assertThat(connection.closeCode).as(escape(bad)).isEqualTo(CloseCodes.UNAUTHORIZED);
            assertThat(connection.ofType("connected")).isEmpty();
        }
        assertThat(engine.connectionCount()).isZero();
    }

    @Test
    void aTokenWhoseSubjectIsNotAValidUserIdIsRefusedOverRestToo() {
        for (String bad : List.of("al\u0007ice", "x".repeat(129), "\u202Ealice")) {
            assertThatThrownBy(() -> engine.authenticate("valid:" + bad)).as(escape(bad))
                    .isInstanceOfSatisfying(ChatException.class, e ->
                            assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED));
        }
        assertThat(engine.authenticate("valid:alice").userId()).isEqualTo("alice");
    }

    @Test
    void theHostsUserIdPatternIsEnforcedOnParticipantsAndTokenSubjects() {
        try (EngineFixture strict = new EngineFixture(ChatLimits.defaults().toBuilder()
                .userIdPattern("[a-z]{3,8}").build())) {
            assertThatThrownBy(() -> strict.engine.createChat(user("alice"), Set.of("Bob"), null))
                    .isInstanceOfSatisfying(ChatException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INVALID);
                        assertThat(e.getMessage()).contains("[a-z]{3,8}");
                    });
            assertThatThrownBy(() -> strict.engine.authenticate("valid:alice.smith"))
                    .isInstanceOfSatisfying(ChatException.class, e ->
                            assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED));
            FakeConnection connection = open(strict.engine);
            connection.session.authenticate("valid:al", java.util.Map.of());
            connection.awaitClosed(); // admission runs on the engine's executor
            assertThat(connection.closeCode).isEqualTo(CloseCodes.UNAUTHORIZED);

            assertThat(strict.engine.createChat(user("alice"), Set.of("bob"), null).participants())
                    .containsExactly("alice", "bob");
        }
    }

    @Test
    void anInvalidUserIdPatternFailsWhenTheLimitsAreBuilt() {
        assertThatThrownBy(() -> ChatLimits.defaults().toBuilder().userIdPattern("[a-").build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBlankClientMessageIdIsRefusedAsInvalidNotAsAnInternalError() {
        Chat chat = fixture.chat("alice", "bob");
        for (String blank : List.of("", " ")) {
            assertThatThrownBy(() -> fixture.engine.send(user("alice"), chat.id(), "hi", blank))
                    .isInstanceOfSatisfying(ChatException.class, e ->
                            assertThat(e.code()).isEqualTo(ErrorCode.INVALID));
        }
    }

    @Test
    void textWithNothingVisibleOrAnUnpairedSurrogateIsRefused() {
        Chat chat = fixture.chat("alice", "bob");
        for (String bad : List.of("\u200B", "\u200B\u200C\u200D\uFEFF", "\u202E\u2066", " \u200B\n\t", "\u0007",
                "hi \uD83D", "\uDE00 there")) {
            assertThatThrownBy(() -> engine.send(user("alice"), chat.id(), bad, null)).as(escape(bad))
                    .isInstanceOfSatisfying(ChatException.class, e ->
                            assertThat(e.code()).isEqualTo(ErrorCode.INVALID));
        }
        assertThat(fixture.messages.lastSeq(chat.id())).isZero();
    }

    @Test
    void textWithSomethingVisibleIsKeptAsWritten() {
        Chat chat = fixture.chat("alice", "bob");
        for (String good : List.of("hi", "\u200Bhi", "👨\u200D👩\u200D👧", "line\nbreak", "😀")) {
            assertThat(engine.send(user("alice"), chat.id(), good, null).text()).isEqualTo(good);
        }
    }

    private static String escape(String value) {
        StringBuilder escaped = new StringBuilder();
        value.chars().limit(20).forEach(c -> escaped.append(c < 0x20 || c > 0x7e ? String.format("\\u%04X", c)
                : String.valueOf((char) c)));
        return escaped.toString();
    }
}
