package dev.chatwire.core;

import dev.chatwire.core.spi.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A message posted to a chat of 200 members is serialized once for all of them, not once per recipient: the
 * regression check that replaced the load benchmark's JFR sampling. Two views of the same rule: every recipient is
 * handed the very same frame instance, and what the whole JVM allocates per delivery stays far below one frame.
 */
class SerializeOncePerPublishTest {

    private static final int RECIPIENTS = 200;
    private static final int MESSAGES = 20;
    /** Long enough that one copy of a frame per recipient dwarfs the bookkeeping a delivery needs. */
    private static final String TEXT = "x".repeat(4_000);

    private final EngineFixture fixture = new EngineFixture();
    /** Every {@code new_message} frame written, by content: the distinct instances of each are its serializations. */
    private final Map<String, Set<String>> instancesByFrame = new ConcurrentHashMap<>();
    private final AtomicLong deliveries = new AtomicLong();
    private final AtomicInteger connected = new AtomicInteger();
    private final AtomicInteger joined = new AtomicInteger();
    private String chatId;

    @BeforeEach
    void twoHundredMembersAreOnline() {
        List<String> members = new ArrayList<>();
        for (int i = 0; i < RECIPIENTS; i++) {
            members.add("member-" + i);
            ClientSession session = fixture.engine.open(new RecordingConnection());
            session.authenticate("valid:member-" + i, Map.of());
        }
        // Admission runs on the engine's executor: the chat is created once every member is connected, so each
        // joins it live.
        await().until(() -> connected.get() == RECIPIENTS);
        chatId = fixture.engine.createChat(EngineFixture.user("member-0"), members, null).id();
        await().until(() -> joined.get() == RECIPIENTS);
    }

    @AfterEach
    void closeEngine() {
        fixture.close();
    }

    @Test
    void everyRecipientOfAPublishIsHandedTheSameSerializedFrame() {
        publish(0, MESSAGES);

        assertThat(instancesByFrame).hasSize(MESSAGES);
        assertThat(instancesByFrame.values()).allSatisfy(instances ->
                assertThat(instances).as("serializations of one message for %d recipients", RECIPIENTS).hasSize(1));
    }

    @Test
    void aDeliveryAllocatesFarLessThanOneCopyOfTheFrame() {
        publish(0, MESSAGES);
        Map<Long, Long> before = allocatedByThread();
        publish(MESSAGES, 2 * MESSAGES);
        long allocated = 0;
        for (Map.Entry<Long, Long> thread : allocatedByThread().entrySet()) {
            allocated += thread.getValue() - before.getOrDefault(thread.getKey(), 0L);
        }
        long perDelivery = allocated / ((long) MESSAGES * RECIPIENTS);

        assertThat(perDelivery).as("bytes allocated per delivery of a %,d-character message", TEXT.length())
                .isLessThan(TEXT.length() / 2);
    }

    /** Posts messages {@code from..to} as member 0 and waits until every member has each. */
    private void publish(int from, int to) {
        long goal = deliveries.get() + (long) (to - from) * RECIPIENTS;
        for (int m = from; m < to; m++) {
            fixture.engine.send(EngineFixture.user("member-0"), chatId, m + TEXT, "c" + m);
        }
        await().until(() -> deliveries.get() >= goal);
    }

    /**
     * Bytes allocated so far by each live thread, by thread id: the engine's workers as well as this one. A thread that
     * ends before the second reading is missed, which only a thread started and ended within the publishing could be.
     */
    private static Map<Long, Long> allocatedByThread() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] ids = threads.getAllThreadIds();
        long[] bytes = threads.getThreadAllocatedBytes(ids);
        Map<Long, Long> byThread = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0) {
                byThread.put(ids[i], bytes[i]);
            }
        }
        return byThread;
    }

    /** A socket that keeps each {@code new_message} frame instance it is handed and completes every write at once. */
    private final class RecordingConnection implements Connection {
        @Override
        public void send(String frame, SendCallback done) {
            if (frame.startsWith("{\"type\":\"new_message\"")) {
                instancesByFrame.computeIfAbsent(frame, f -> Collections.synchronizedSet(
                        Collections.newSetFromMap(new IdentityHashMap<>()))).add(frame);
                deliveries.incrementAndGet();
            } else if (frame.startsWith("{\"type\":\"chat_joined\"")) {
                joined.incrementAndGet();
            } else if (frame.startsWith("{\"type\":\"connected\"")) {
                connected.incrementAndGet();
            }
            done.completed(null);
        }

        @Override
        public int maxSendsInFlight() {
            return 16;
        }

        /** Closing happens when the engine shuts down; a socket closed earlier misses messages and fails the wait. */
        @Override
        public void close(int code, String reason) {
        }
    }
}
