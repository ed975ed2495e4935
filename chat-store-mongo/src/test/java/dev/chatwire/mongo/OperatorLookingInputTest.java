package dev.chatwire.mongo;

import com.mongodb.client.MongoDatabase;
import dev.chatwire.core.Chat;
import dev.chatwire.core.MediaInfo;
import dev.chatwire.core.MediaUpload;
import dev.chatwire.core.Message;
import dev.chatwire.core.MessageDraft;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Ids and values that look like query operators are plain strings: stored, matched and returned literally. */
class OperatorLookingInputTest {

    @RegisterExtension
    static final TestMongo mongo = new TestMongo();

    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05.678Z");
    /** Strings that would match every document if they ever became part of a query document. */
    private static final List<String> OPERATORS = List.of("{\"$gt\": \"\"}", "{\"$ne\": null}", "$where", "$gt",
            "{\"$regex\": \".*\"}", "a.b.$", "{\"$exists\": true}");

    private MongoDatabase database;

    @BeforeEach
    void database() {
        database = mongo.newDatabase();
    }

    @Test
    void operatorLookingChatIdsAreTheirOwnTimelinesAndMatchNoOtherChat() {
        MongoMessageStore store = MongoMessageStore.create(database);
        Message plain = store.append(MessageDraft.text("plain", "alice", "plain", null, T0)).message();

        for (String chatId : OPERATORS) {
            Message own = store.append(MessageDraft.text(chatId, "$set", "in " + chatId, "{\"$ne\": \"\"}", T0))
                    .message();
            assertThat(store.after(chatId, 0, 100)).as(chatId).containsExactly(own);
            assertThat(store.before(chatId, Long.MAX_VALUE, 100)).as(chatId).containsExactly(own);
            assertThat(store.lastSeq(chatId)).as(chatId).isEqualTo(1);
            assertThat(store.append(MessageDraft.text(chatId, "$set", "retry", "{\"$ne\": \"\"}", T0)).created())
                    .as("retry in %s", chatId).isFalse();
        }
        assertThat(store.after("plain", 0, 100)).containsExactly(plain);
    }

    @Test
    void operatorLookingChatIdsFindNothingAndChangeNothing() {
        MongoChatStore store = MongoChatStore.create(database);
        Chat chat = store.create("alice", Set.of("alice"), "real", T0);

        for (String id : OPERATORS) {
            assertThat(store.find(id)).as(id).isEmpty();
            assertThat(store.addParticipant(id, "mallory", 0)).as(id).isEmpty();
            assertThat(store.removeParticipant(id, "alice")).as(id).isEmpty();
        }
        assertThat(store.find(chat.id())).contains(chat);
        assertThat(store.chatsOf("mallory")).isEmpty();
    }

    @Test
    void operatorLookingUserIdsAreMatchedLiterally() {
        MongoChatStore store = MongoChatStore.create(database);
        Chat others = store.create("alice", Set.of("alice", "bob"), "others", T0);

        for (String user : OPERATORS) {
            assertThat(store.chatsOf(user)).as(user).isEmpty();
            Chat own = store.create(user, Set.of(user), user, T0);
            assertThat(store.chatsOf(user)).as(user).containsExactly(own);
            assertThat(store.addParticipant(others.id(), user, 0).orElseThrow().participants()).contains(user);
            assertThat(store.removeParticipant(others.id(), user).orElseThrow().participants())
                    .containsExactlyInAnyOrder("alice", "bob");
        }
    }

    @Test
    void operatorLookingMediaIdsFindNothingAndDeleteNothing() {
        GridFsMediaStore store = GridFsMediaStore.create(database);
        MediaInfo stored = store.put(new MediaUpload("{\"$gt\": \"\"}", "$where", "$name", "image/png", T0),
                new ByteArrayInputStream(new byte[10]), 100);

        for (String id : OPERATORS) {
            assertThat(store.find(id)).as(id).isEmpty();
            assertThat(store.open(id)).as(id).isEmpty();
            assertThat(store.delete(id)).as(id).isFalse();
        }
        assertThat(store.find(stored.id())).contains(stored);
        assertThat(stored.chatId()).isEqualTo("{\"$gt\": \"\"}");
        assertThat(stored.name()).isEqualTo("$name");
    }
}
