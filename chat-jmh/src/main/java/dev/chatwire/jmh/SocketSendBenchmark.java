package dev.chatwire.jmh;

import dev.chatwire.core.ClientSession;
import dev.chatwire.core.Principal;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The load benchmark's pairs workload without sockets: 1,000 direct chats, each of their 2,000 users sending over its
 * socket in turn; one operation is one {@code send} frame handled (stored, acked, delivered to both users). The time
 * per operation is the engine's cost of a socket send, warm and alone; what a server spends beyond it in the pairs
 * workload is the container's and the kernel's. Every iteration starts from an empty store, so that the in-memory
 * store's growth does not creep into the figure, and ends by checking every send was acked and delivered twice.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SocketSendBenchmark {

    private static final int PAIRS = 1000;
    private static final int SOCKETS = 2 * PAIRS;

    /** Characters per message text: the load benchmark's default. */
    @Param("80")
    public int textLength;

    private EngineUnderLoad load;
    private ClientSession[] sessions;
    private String[] chatIds;
    private String text;
    private long sends;

    /** Builds the engine, the chats and the signed-in sockets. */
    @Setup(Level.Iteration)
    public void connectThePairs() {
        load = new EngineUnderLoad();
        text = "x".repeat(textLength);
        chatIds = new String[PAIRS];
        sessions = new ClientSession[SOCKETS];
        for (int j = 0; j < PAIRS; j++) {
            chatIds[j] = load.engine.createChat(Principal.of(user(2 * j)), List.of(user(2 * j + 1)), null).id();
        }
        for (int s = 0; s < SOCKETS; s++) {
            sessions[s] = load.connect(user(s));
        }
        load.awaitAtLeast("connected sockets", load.connected::get, SOCKETS);
        sends = 0;
    }

    /** One socket's next {@code send} frame, the sockets taking turns. */
    @Benchmark
    public void socketSend() {
        long message = sends++;
        int socket = (int) (message % SOCKETS);
        sessions[socket].onText("{\"type\":\"send\",\"chatId\":\"" + chatIds[socket / 2] + "\",\"text\":\"" + text
                + "\",\"clientMessageId\":\"c" + message + "\"}");
    }

    /** Checks that every send was acked and delivered to both users of its chat, then drops the engine. */
    @TearDown(Level.Iteration)
    public void everySendWasAckedAndDeliveredTwice() {
        try {
            load.awaitAtLeast("acks", load.acks::get, sends);
            load.awaitAtLeast("deliveries", load.deliveries::get, 2 * sends);
        } finally {
            load.close();
        }
    }

    private static String user(int socket) {
        return "pair-" + socket;
    }
}
