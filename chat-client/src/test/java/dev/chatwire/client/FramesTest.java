package dev.chatwire.client;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FramesTest {

    @Test
    void aNewMessageWithAnAttachmentAndFieldsOfANewerServerIsDecoded() {
        Incoming decoded = Frames.decode("""
                {"type":"new_message","future":"ignored","message":{"id":"65f","chatId":"c1","seq":58,
                 "senderId":"alice","type":"image","text":"caption","pinned":[],
                 "attachment":{"mediaId":"66a","url":"/api/media/66a","mimeType":"image/png","size":48213,
                               "name":"cat.png"},
                 "clientMessageId":"k-17","createdAt":"2026-01-02T03:04:05.006Z"}}""");

        assertThat(decoded).isEqualTo(new Incoming.NewMessage(new Message("65f", "c1", 58, "alice", "image",
                "caption", new Attachment("66a", "/api/media/66a", "image/png", 48213, "cat.png"), "k-17",
                Instant.parse("2026-01-02T03:04:05.006Z"))));
    }

    @Test
    void aMessageUpdateCarriesItsOwnSeqAndTheMessagesState() {
        Incoming decoded = Frames.decode("""
                {"type":"message_updated","chatId":"c1","seq":61,"message":{"id":"65f","chatId":"c1","seq":58,
                 "senderId":"alice","type":"text","text":"edited","editedAt":"2026-01-02T03:05:00Z",
                 "reactions":{"👍":["bob","carol"]},"createdAt":"2026-01-02T03:04:05.006Z"}}""");

        Message state = new Message("65f", "c1", 58, "alice", "text", "edited", null, null,
                Instant.parse("2026-01-02T03:04:05.006Z"), Instant.parse("2026-01-02T03:05:00Z"), false,
                Map.of("👍", List.of("bob", "carol")));
        assertThat(decoded).isEqualTo(new Incoming.MessageUpdated(new MessageUpdate("c1", 61, state)));
        Incoming deleted = Frames.decode("""
                {"type":"message_updated","chatId":"c1","seq":62,"message":{"id":"65f","chatId":"c1","seq":58,
                 "senderId":"alice","type":"image","deleted":true,"createdAt":"2026-01-02T03:04:05.006Z"}}""");
        assertThat(((Incoming.MessageUpdated) deleted).update().message().deleted()).isTrue();
    }

    @Test
    void connectedAndErrorsAreDecoded() {
        assertThat(Frames.decode("""
                {"type":"connected","userId":"alice","connectionId":"x","chats":["c1","c2"],
                 "seqs":{"c1":57,"c2":0}}"""))
                .isEqualTo(new Incoming.Connected("alice", "x", List.of("c1", "c2"), Map.of("c1", 57L, "c2", 0L),
                        Map.of()));
        assertThat(Frames.decode("{\"type\":\"error\",\"code\":\"forbidden\",\"message\":\"no\"}"))
                .isEqualTo(new Incoming.Error("forbidden", "no", null));
    }

    @Test
    void whereHistoryStartsInChatsJoinedLateIsDecodedFromConnectedAndChatJoined() {
        assertThat(Frames.decode("""
                {"type":"connected","userId":"carol","connectionId":"x","chats":["c1","c2"],
                 "seqs":{"c1":57,"c2":3},"historyAfter":{"c1":40}}"""))
                .isEqualTo(new Incoming.Connected("carol", "x", List.of("c1", "c2"), Map.of("c1", 57L, "c2", 3L),
                        Map.of("c1", 40L)));
        Incoming joined = Frames.decode("""
                {"type":"chat_joined","chatId":"c3","seq":9,"lastRead":0,"unread":0,"readBy":{},"online":[],
                 "historyAfter":9,"chat":{"id":"c3","participants":["alice","carol"],
                 "createdAt":"2026-01-02T03:04:05Z","owner":"alice","admins":[]}}""");
        assertThat(((ChatJoinedEvent) ((Incoming.Event) joined).event()).historyAfter()).isEqualTo(9);
    }

    @Test
    void aChatUpdateIsAnEventWithTheChatAfterTheChange() {
        Incoming decoded = Frames.decode("""
                {"type":"chat_updated","chatId":"c1","change":"participant_removed","userId":"carol","by":"alice",
                 "chat":{"id":"c1","participants":["alice","bob"],"createdAt":"2026-01-02T03:04:05Z",
                         "owner":"alice","admins":[]}}""");

        assertThat(decoded).isEqualTo(new Incoming.Event(new ChatUpdatedEvent("c1",
                new Chat("c1", List.of("alice", "bob"), null, Instant.parse("2026-01-02T03:04:05Z")),
                "participant_removed", "carol", "alice")));
    }

    @Test
    void aFrameOfAnUnknownTypeIsKeptApartAndGarbageIsRefused() {
        assertThat(Frames.decode("{\"type\":\"thread_updated\"}")).isEqualTo(new Incoming.Unknown("thread_updated"));
        assertThatThrownBy(() -> Frames.decode("{\"type\":\"message_updated\",\"chatId\":\"c1\",\"seq\":3}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Frames.decode("not json")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Frames.decode("{\"type\":\"ack\",\"clientMessageId\":\"k\"}"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void connectCarriesTheResumeMapOnlyWhenThereIsOne() {
        assertThat(Frames.connect("t", Map.of())).isEqualTo("{\"type\":\"connect\",\"token\":\"t\"}");
        assertThat(Frames.connect("t", Map.of("c1", 41L)))
                .isEqualTo("{\"type\":\"connect\",\"token\":\"t\",\"resume\":{\"c1\":41}}");
    }
}
