package dev.chatwire.core;

import dev.chatwire.core.spi.Connection;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WriteBatchTest {

    /** Records every frame it is asked to write and completes each at once. */
    private static class RecordingConnection implements Connection {
        final List<String> written = new CopyOnWriteArrayList<>();

        @Override
        public void send(String frame, SendCallback done) {
            written.add(frame);
            done.completed(null);
        }

        @Override
        public void close(int code, String reason) {
        }
    }

    private static Outbound outbound(Connection connection) {
        return new Outbound(connection, 1 << 20, 100, failure -> { });
    }

    @Test
    void withoutABatchAFrameIsWrittenAtOnce() {
        RecordingConnection connection = new RecordingConnection();

        outbound(connection).offer("a");

        assertThat(connection.written).containsExactly("a");
    }

    @Test
    void insideABatchFramesWaitForItToCloseAndThenLeaveInOrder() {
        RecordingConnection first = new RecordingConnection();
        RecordingConnection second = new RecordingConnection();
        Outbound one = outbound(first);
        Outbound two = outbound(second);

        try (WriteBatch batch = WriteBatch.open()) {
            one.offer("1a");
            two.offer("2a");
            one.offer("1b");
            assertThat(first.written).isEmpty();
            assertThat(second.written).isEmpty();
        }

        assertThat(first.written).containsExactly("1a", "1b");
        assertThat(second.written).containsExactly("2a");
        one.offer("1c");
        assertThat(first.written).containsExactly("1a", "1b", "1c");
    }

    @Test
    void aNestedBatchLeavesTheWritesToTheOuterOne() {
        RecordingConnection connection = new RecordingConnection();
        Outbound outbound = outbound(connection);

        try (WriteBatch outer = WriteBatch.open()) {
            try (WriteBatch inner = WriteBatch.open()) {
                outbound.offer("a");
            }
            assertThat(connection.written).isEmpty();
        }

        assertThat(connection.written).containsExactly("a");
    }

    @Test
    void aQueueClosedWhileHeldWritesNothingAndRefusesNothing() {
        RecordingConnection connection = new RecordingConnection();
        Outbound outbound = outbound(connection);

        try (WriteBatch batch = WriteBatch.open()) {
            outbound.offer("a");
            outbound.close();
        }

        assertThat(connection.written).isEmpty();
        assertThat(outbound.offer("b")).isTrue();
        assertThat(connection.written).isEmpty();
    }

    @Test
    void aTransportThatThrowsDoesNotKeepTheOthersFromTheirWrites() {
        Connection throwing = new Connection() {
            @Override
            public void send(String frame, SendCallback done) {
                throw new IllegalStateException("broken transport");
            }

            @Override
            public void close(int code, String reason) {
            }
        };
        RecordingConnection healthy = new RecordingConnection();
        Outbound broken = outbound(throwing);
        Outbound fine = outbound(healthy);

        assertThatThrownBy(() -> {
            try (WriteBatch batch = WriteBatch.open()) {
                broken.offer("x");
                fine.offer("y");
            }
        }).hasMessage("broken transport");

        assertThat(healthy.written).containsExactly("y");
        fine.offer("z");
        assertThat(healthy.written).containsExactly("y", "z");
    }

    @Test
    void aWriteThatStartsAnotherBatchWhileTheFirstClosesHasItsFramesWrittenOnce() {
        RecordingConnection other = new RecordingConnection();
        Outbound follower = outbound(other);
        RecordingConnection connection = new RecordingConnection() {
            @Override
            public void send(String frame, SendCallback done) {
                super.send(frame, done);
                // As when a completed write leads the same thread into another publish.
                if (frame.equals("first")) {
                    try (WriteBatch inner = WriteBatch.open()) {
                        follower.offer("second");
                        assertThat(other.written).isEmpty();
                    }
                }
            }
        };
        Outbound leader = outbound(connection);

        try (WriteBatch batch = WriteBatch.open()) {
            leader.offer("first");
        }

        assertThat(connection.written).containsExactly("first");
        assertThat(other.written).containsExactly("second");
        follower.offer("third");
        assertThat(other.written).containsExactly("second", "third");
    }
}
