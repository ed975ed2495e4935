package dev.chatwire.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chatwire.core.spi.Connection;
import dev.chatwire.core.spi.MessageStore;
import dev.chatwire.core.spi.UnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static dev.chatwire.core.EngineFixture.sendFrame;
import static dev.chatwire.core.EngineFixture.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class ChatEngineDeliveryTest {

    private final EngineFixture fixture = new EngineFixture();
    private final ChatEngine engine = fixture.engine;

    @AfterEach
    void close() {
        fixture.close();
    }

    /** Waits until the engine's background work has settled, so that anything still to arrive has arrived. */
    private void quietPeriod() {
        fixture.awaitIdle();
    }

    @Test
    void everyDeviceOfEveryParticipantReceivesTheMessageAndTheSenderGetsAckFirst() {
        Chat chat = fixture.chat("alice", "bob");
        FakeConnection alicePhone = fixture.connect("alice");
        FakeConnection aliceLaptop = fixture.connect("alice");
        FakeConnection bob = fixture.connect("bob");

        sendFrame(alicePhone, "{\"type\":\"send\",\"chatId\":\"" + chat.id() + "\",\"text\":\"hi\","
                + "\"clientMessageId\":\"c1\"}");

        for (FakeConnection device : List.of(alicePhone, aliceLaptop, bob)) {
            JsonNode delivered = device.awaitFrame("new_message");
            assertThat(delivered.path("message").path("text").asText()).isEqualTo("hi");
            assertThat(delivered.path("message").path("seq").asLong()).isEqualTo(1);
            assertThat(delivered.path("message").path("type").asText()).isEqualTo("text");
        }
        JsonNode ack = alicePhone.ofType("ack").get(0);
        assertThat(ack.path("clientMessageId").asText()).isEqualTo("c1");
        assertThat(ack.path("message").path("seq").asLong()).isEqualTo(1);
        List<String> senderTypes = alicePhone.received.stream().map(f -> f.path("type").asText())
                .filter(t -> t.equals("ack") || t.equals("new_message")).toList();
        assertThat(senderTypes).containsExactly("ack", "new_message");
        assertThat(aliceLaptop.ofType("ack")).isEmpty();
    }

    @Test
    void connectedListsTheUsersChatsWithTheirNewestSeq() {
        Chat first = fixture.chat("alice", "bob");
        Chat second = fixture.chat("carol", "alice");
        fixture.chat("bob", "carol");
        engine.send(user("alice"), first.id(), "one", null);

        JsonNode connected = fixture.connect("alice").ofType("connected").get(0);

        assertThat(connected.path("userId").asText()).isEqualTo("alice");
        assertThat(connected.path("connectionId").asText()).isNotBlank();
        assertThat(connected.path("chats")).extracting(JsonNode::asText).containsExactly(first.id(), second.id());
        assertThat(connected.path("seqs").path(first.id()).asLong()).isEqualTo(1);
        assertThat(connected.path("seqs").path(second.id()).asLong()).isZero();
    }

    @Test
    void nonMemberCannotPostAndNothingIsStoredOrDelivered() throws InterruptedException {
        Chat chat = fixture.chat("alice", "bob");
        FakeConnection alice = fixture.connect("alice");
        FakeConnection mallory = fixture.connect("mallory");

        sendFrame(mallory, "{\"type\":\"send\",\"chatId\":\"" + chat.id() + "\",\"text\":\"let me in\","
                + "\"clientMessageId\":\"m1\"}");

        JsonNode error = mallory.awaitFrame("error");
        assertThat(error.path("code").asText()).isEqualTo("forbidden");
        assertThat(error.path("clientMessageId").asText()).isEqualTo("m1");
        assertThatThrownBy(() -> engine.send(user("mallory"), chat.id(), "rest too", null))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
        quietPeriod();
        assertThat(fixture.messages.lastSeq(chat.id())).isZero();
        assertThat(alice.ofType("new_message")).isEmpty();
        assertThat(mallory.ofType("new_message")).isEmpty();
    }

    @Test
    void unknownChatGetsTheSameAnswerAsAForeignOne() {
        assertThatThrownBy(() -> engine.send(user("mallory"), "no-such-chat", "x", null))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
        assertThatThrownBy(() -> engine.history(user("mallory"), "no-such-chat", HistoryQuery.newest()))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
    }

    @Test
    void nonMemberReceivesNoEventsOfTheChat() throws InterruptedException {
        Chat chat = fixture.chat("alice", "bob");
        FakeConnection eve = fixture.connect("eve");
        FakeConnection bob = fixture.connect("bob");

        engine.send(user("alice"), chat.id(), "private", null);
        sendFrame(bob, "{\"type\":\"typing\",\"chatId\":\"" + chat.id() + "\"}");
        sendFrame(eve, "{\"type\":\"typing\",\"chatId\":\"" + chat.id() + "\"}");

        bob.awaitFrame("new_message");
        assertThat(eve.awaitFrame("error").path("code").asText()).isEqualTo("forbidden");
        quietPeriod();
        assertThat(eve.ofType("new_message")).isEmpty();
        assertThat(eve.ofType("typing")).isEmpty();
    }

    @Test
    void failingStoreDeliversNothingAndTellsTheSender() throws InterruptedException {
        MessageStore broken = new FailingMessageStore(fixture.messages);
        try (ChatEngine failing = fixture.builder().messageStore(broken).build()) {
            Chat chat = failing.createChat(user("alice"), List.of("bob"), null);
            FakeConnection alice = EngineFixture.connect(failing, "alice", Map.of());
            FakeConnection bob = EngineFixture.connect(failing, "bob", Map.of());

            sendFrame(alice, "{\"type\":\"send\",\"chatId\":\"" + chat.id() + "\",\"text\":\"lost?\","
                    + "\"clientMessageId\":\"c9\"}");

            JsonNode error = alice.awaitFrame("error");
            assertThat(error.path("code").asText()).isEqualTo("unavailable");
            assertThat(error.path("clientMessageId").asText()).isEqualTo("c9");
            assertThatThrownBy(() -> failing.send(user("alice"), chat.id(), "rest", null))
                    .isInstanceOfSatisfying(ChatException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
            quietPeriod();
            assertThat(alice.ofType("new_message")).isEmpty();
            assertThat(alice.ofType("ack")).isEmpty();
            assertThat(bob.ofType("new_message")).isEmpty();
            assertThat(alice.closeCode).isNull();
        }
    }

    /** Appends fail as if the database were down; reads still work. */
    private static final class FailingMessageStore extends DelegatingMessageStore {
        FailingMessageStore(MessageStore delegate) {
            super(delegate);
        }

        @Override
        public Appended append(dev.chatwire.core.MessageDraft draft) {
            throw new UnavailableException("database down", new java.io.IOException("connection refused"));
        }
    }

    @Test
    void retryWithTheSameClientMessageIdIsStoredAndDeliveredOnce() throws InterruptedException {
        Chat chat = fixture.chat("alice", "bob");
        FakeConnection alice = fixture.connect("alice");
        FakeConnection bob = fixture.connect("bob");
        String send = "{\"type\":\"send\",\"chatId\":\"" + chat.id()
                + "\",\"text\":\"once\",\"clientMessageId\":\"k\"}";

        sendFrame(alice, send);
        sendFrame(alice, send);
        Message viaRest = engine.send(user("alice"), chat.id(), "once", "k");

        await().until(() -> alice.ofType("ack").size() == 2);
        quietPeriod();
        assertThat(alice.ofType("ack")).extracting(a -> a.path("message").path("id").asText())
                .containsOnly(viaRest.id());
        assertThat(bob.ofType("new_message")).hasSize(1);
        assertThat(alice.ofType("new_message")).hasSize(1);
        assertThat(fixture.messages.lastSeq(chat.id())).isEqualTo(1);
    }

    @Test
    void aMessageStoredBeforeItsReplyWasLostIsBroadcastWhenTheSenderRetries() {
        Chat chat = fixture.chat("alice", "bob");
        LostReplyStore store = new LostReplyStore(fixture.messages);
        try (ChatEngine flaky = fixture.builder().messageStore(store).build()) {
            FakeConnection bob = EngineFixture.connect(flaky, "bob", Map.of());

            assertThatThrownBy(() -> flaky.send(user("alice"), chat.id(), "did it land?", "k1"))
                    .isInstanceOfSatisfying(ChatException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
            Message retried = flaky.send(user("alice"), chat.id(), "did it land?", "k1");

            await().until(() -> bob.messageSeqs(chat.id()).size() == 1);
            assertThat(bob.messageSeqs(chat.id())).containsExactly(retried.seq());
        }
    }

    /** Stores the first append, then fails as if the reply had been lost on the network. */
    private static final class LostReplyStore extends DelegatingMessageStore {
        private boolean lostOne;

        LostReplyStore(MessageStore delegate) {
            super(delegate);
        }

        @Override
        public synchronized Appended append(dev.chatwire.core.MessageDraft draft) {
            Appended appended = super.append(draft);
            if (!lostOne) {
                lostOne = true;
                throw new UnavailableException("reply lost", new java.net.SocketTimeoutException());
            }
            return appended;
        }
    }

    @Test
    void concurrentSendersYieldUniqueIncreasingSeqsEachDeliveredOncePerConnectionInOrder() throws Exception {
        Chat chat = fixture.chat("s0", "s1", "s2", "s3", "reader");
        List<FakeConnection> readers = List.of(fixture.connect("reader"), fixture.connect("reader"),
                fixture.connect("s0"));
        int senders = 4;
        int perSender = 100;
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        try {
            List<Callable<List<Long>>> tasks = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                String sender = "s" + s;
                tasks.add(() -> {
                    List<Long> seqs = new ArrayList<>();
                    for (int i = 0; i < perSender; i++) {
                        seqs.add(engine.send(user(sender), chat.id(), sender + "-" + i, null).seq());
                    }
                    return seqs;
                });
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> result : pool.invokeAll(tasks)) {
                all.addAll(result.get());
            }
            assertThat(all).doesNotHaveDuplicates().hasSize(senders * perSender);
        } finally {
            pool.shutdownNow();
        }
        List<Long> expected = LongStream.rangeClosed(1, senders * perSender).boxed().toList();
        for (FakeConnection reader : readers) {
            await().until(() -> reader.messageSeqs(chat.id()).size() >= expected.size());
            assertThat(reader.messageSeqs(chat.id())).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void aSocketWriteThatBlocksDoesNotHoldUpTheChatsOtherSenders() throws Exception {
        Chat chat = fixture.chat("alice", "bob", "carol");
        CountDownLatch firstWriteStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> carolGot = new CopyOnWriteArrayList<>();
        // Breaks the transport contract on purpose: a write that blocks, as a container's blocking write would.
        Connection stuckInWrite = new Connection() {
            @Override
            public void send(String frame, SendCallback done) {
                carolGot.add(frame);
                if (frame.contains("\"new_message\"")) {
                    firstWriteStarted.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                done.completed(null);
            }

            @Override
            public void close(int code, String reason) {
            }
        };
        engine.open(stuckInWrite).authenticate("valid:carol", Map.of());
        await().until(() -> carolGot.stream().anyMatch(frame -> frame.contains("\"connected\"")));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Message> first = pool.submit(() -> engine.send(user("alice"), chat.id(), "one", null));
            assertThat(firstWriteStarted.await(10, TimeUnit.SECONDS)).isTrue();

            Future<Message> second = pool.submit(() -> engine.send(user("bob"), chat.id(), "two", null));

            assertThat(second.get(10, TimeUnit.SECONDS).seq()).isEqualTo(2);
            assertThat(first.isDone()).isFalse();
            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS).seq()).isEqualTo(1);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
        await().until(() -> carolGot.stream().filter(frame -> frame.contains("\"new_message\"")).count() == 2);
        List<String> messages = carolGot.stream().filter(frame -> frame.contains("\"new_message\"")).toList();
        assertThat(messages.get(0)).contains("\"text\":\"one\"");
        assertThat(messages.get(1)).contains("\"text\":\"two\"");
    }

    @Test
    void typingReachesOtherDevicesButIsNotEchoedToTheTypingConnection() throws InterruptedException {
        Chat chat = fixture.chat("alice", "bob");
        FakeConnection alicePhone = fixture.connect("alice");
        FakeConnection aliceLaptop = fixture.connect("alice");
        FakeConnection bob = fixture.connect("bob");

        sendFrame(alicePhone, "{\"type\":\"typing\",\"chatId\":\"" + chat.id() + "\"}");
        sendFrame(alicePhone, "{\"type\":\"typing\",\"chatId\":\"" + chat.id() + "\",\"active\":false}");

        await().until(() -> bob.ofType("typing").size() == 2);
        assertThat(bob.ofType("typing").get(0).path("userId").asText()).isEqualTo("alice");
        assertThat(bob.ofType("typing").get(0).path("active").asBoolean()).isTrue();
        assertThat(bob.ofType("typing").get(1).path("active").asBoolean()).isFalse();
        await().until(() -> aliceLaptop.ofType("typing").size() == 2);
        quietPeriod();
        assertThat(alicePhone.ofType("typing")).isEmpty();
        assertThat(fixture.messages.lastSeq(chat.id())).isZero();
    }

    @Test
    void readReceiptsAreBroadcastToTheChat() {
        Chat chat = fixture.chat("alice", "bob");
        FakeConnection alice = fixture.connect("alice");
        FakeConnection bob = fixture.connect("bob");
        engine.send(user("alice"), chat.id(), "read me", null);

        sendFrame(bob, "{\"type\":\"read\",\"chatId\":\"" + chat.id() + "\",\"seq\":1}");
        engine.markRead(user("alice"), chat.id(), 1);

        JsonNode receipt = alice.awaitFrame("read", f -> f.path("userId").asText().equals("bob"));
        assertThat(receipt.path("chatId").asText()).isEqualTo(chat.id());
        assertThat(receipt.path("seq").asLong()).isEqualTo(1);
        bob.awaitFrame("read", f -> f.path("userId").asText().equals("alice"));
    }

    @Test
    void presenceIsPushedOnFirstConnectionAndLastDisconnection() {
        fixture.chat("alice", "bob");
        FakeConnection bob = fixture.connect("bob");

        FakeConnection alicePhone = fixture.connect("alice");
        FakeConnection aliceLaptop = fixture.connect("alice");
        bob.awaitFrame("presence", f -> f.path("userId").asText().equals("alice") && f.path("online").asBoolean());
        alicePhone.session.onClose();
        assertThat(engine.presence(user("bob"), List.of("alice"))).containsEntry("alice", true);
        aliceLaptop.session.onClose();

        bob.awaitFrame("presence", f -> f.path("userId").asText().equals("alice") && !f.path("online").asBoolean());
        assertThat(bob.ofType("presence").stream().filter(f -> f.path("userId").asText().equals("alice")))
                .hasSize(2);
        assertThat(engine.presence(user("bob"), List.of("alice"))).containsEntry("alice", false);
    }

    @Test
    void presenceOfStrangersReadsOffline() {
        fixture.connect("stranger");
        Chat chat = fixture.chat("alice", "bob");
        engine.markRead(user("bob"), chat.id(), 0);
        fixture.connect("bob");
        assertThat(engine.presence(user("alice"), List.of("bob", "stranger")))
                .containsEntry("bob", true).containsEntry("stranger", false);
    }

    @Test
    void newChatReachesTheLiveConnectionsOfEveryParticipantAtOnce() {
        FakeConnection alice = fixture.connect("alice");
        FakeConnection bob = fixture.connect("bob");

        Chat chat = engine.createChat(user("alice"), List.of("bob"), "plans");
        Message first = engine.send(user("alice"), chat.id(), "first!", null);

        for (FakeConnection connection : List.of(alice, bob)) {
            assertThat(connection.awaitFrame("chat_joined").path("chat").path("name").asText()).isEqualTo("plans");
            connection.awaitFrame("new_message");
            assertThat(connection.messageSeqs(chat.id())).containsExactly(first.seq());
        }
    }

    @Test
    void addedParticipantStartsReceivingAndRemovedOneStops() throws InterruptedException {
        Chat chat = fixture.chat("alice", "bob");
        engine.send(user("alice"), chat.id(), "before carol", null);
        FakeConnection carol = fixture.connect("carol");
        FakeConnection bob = fixture.connect("bob");

        engine.addParticipant(user("alice"), chat.id(), "carol");
        carol.awaitFrame("chat_joined");
        engine.send(user("alice"), chat.id(), "welcome carol", null);
        carol.awaitFrame("new_message");
        engine.removeParticipant(user("alice"), chat.id(), "bob");
        bob.awaitFrame("chat_left");
        engine.send(user("alice"), chat.id(), "bob is gone", null);

        await().until(() -> carol.messageSeqs(chat.id()).size() == 2);
        // Seq 3 is bob's removal: an entry of the timeline that carol meets as chat_updated, not a message.
        assertThat(carol.messageSeqs(chat.id())).containsExactly(2L, 4L);
        quietPeriod();
        assertThat(bob.messageSeqs(chat.id())).containsExactly(2L);
        sendFrame(bob, "{\"type\":\"send\",\"chatId\":\"" + chat.id() + "\",\"text\":\"still here?\"}");
        assertThat(bob.awaitFrame("error").path("code").asText()).isEqualTo("forbidden");
    }

    @Test
    void historyPagesBothWaysForParticipantsOnly() {
        Chat chat = fixture.chat("alice", "bob");
        for (int i = 1; i <= 5; i++) {
            engine.send(user("alice"), chat.id(), "m" + i, null);
        }
        assertThat(engine.history(user("bob"), chat.id(), HistoryQuery.after(2).limit(2))).extracting(Message::seq)
                .containsExactly(3L, 4L);
        assertThat(engine.history(user("bob"), chat.id(), HistoryQuery.newest().limit(2))).extracting(Message::seq)
                .containsExactly(4L, 5L);
        assertThat(engine.history(user("bob"), chat.id(), HistoryQuery.before(4).limit(10))).extracting(Message::seq)
                .containsExactly(1L, 2L, 3L);
        assertThatThrownBy(() -> engine.history(user("bob"), chat.id(), HistoryQuery.newest().limit(1000)))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID));
    }
}
