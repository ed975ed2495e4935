package dev.chatwire.benchmark;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The bare server is the yardstick: it must deliver each message once, in seq order. */
class BareRoomsTest {

    private static final class RecordingSocket extends BareSocket {
        final List<String> frames = new CopyOnWriteArrayList<>();

        RecordingSocket(String id) {
            super(id);
        }

        @Override
        void write(String text) {
            frames.add(text);
        }

        List<Long> messageSeqs() {
            return frames.stream().filter(frame -> "new_message".equals(FrameScanner.type(frame)))
                    .map(frame -> FrameScanner.number(frame, "seq", -1)).toList();
        }
    }

    @Test
    void concurrentPublishersReachEverySocketOnceInSeqOrder() throws Exception {
        BareRooms rooms = new BareRooms();
        ExecutorService publishers = Executors.newFixedThreadPool(4);
        try {
            List<RecordingSocket> sockets = new ArrayList<>();
            for (String user : List.of("alice", "bob", "carol")) {
                RecordingSocket socket = new RecordingSocket(user + "-1");
                String token = JWT.create().withSubject(user).sign(Algorithm.HMAC256("unverified"));
                rooms.onText(socket, "{\"type\":\"connect\",\"token\":\"" + token + "\"}");
                sockets.add(socket);
            }
            String chatId = FrameScanner.string(rooms.createChat("alice", List.of("bob", "carol"), null), "id", 0);
            int perPublisher = 250;
            List<Future<?>> done = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                String sender = List.of("alice", "bob", "carol", "alice").get(p);
                done.add(publishers.submit(() -> {
                    for (int i = 0; i < perPublisher; i++) {
                        rooms.publish(chatId, sender, "m" + i, null, null);
                    }
                }));
            }
            for (Future<?> publisher : done) {
                publisher.get(30, TimeUnit.SECONDS);
            }
            List<Long> expected = LongStream.rangeClosed(1, 4L * perPublisher).boxed().toList();
            for (RecordingSocket socket : sockets) {
                Progress.until(() -> socket.messageSeqs().size(), expected::size, Duration.ofSeconds(10));
                assertThat(socket.messageSeqs()).as(socket.id).containsExactlyElementsOf(expected);
            }
        } finally {
            publishers.shutdownNow();
        }
    }
}
