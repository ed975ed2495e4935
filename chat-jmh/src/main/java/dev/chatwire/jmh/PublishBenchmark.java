package dev.chatwire.jmh;

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

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The load benchmark's fan-out without sockets: one chat whose members are all online, one of them posting as over
 * REST; one operation is one message stored and handed to every member's socket. Divided by the members, the time is
 * the engine's cost of a delivery. Every iteration starts from an empty store and ends by checking that every member
 * got every message.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PublishBenchmark {

    /** Members of the chat, one socket each. */
    @Param({"20", "200"})
    public int members;

    /** Characters per message text: the load benchmark's default. */
    @Param("80")
    public int textLength;

    private EngineUnderLoad load;
    private Principal sender;
    private String chatId;
    private String text;
    private long posted;

    /** Builds the engine and the chat, with every member online and joined. */
    @Setup(Level.Iteration)
    public void bringTheMembersOnline() {
        load = new EngineUnderLoad();
        text = "x".repeat(textLength);
        List<String> users = new ArrayList<>(members);
        for (int i = 0; i < members; i++) {
            users.add("fan-" + i);
            load.connect(users.get(i));
        }
        load.awaitAtLeast("connected sockets", load.connected::get, members);
        sender = Principal.of(users.get(0));
        chatId = load.engine.createChat(sender, users, null).id();
        load.awaitAtLeast("joined sockets", load.joined::get, members);
        posted = 0;
    }

    /** One message posted to the chat and handed to every member. */
    @Benchmark
    public void publish() {
        long message = posted++;
        load.engine.send(sender, chatId, text, "c" + message);
    }

    /** Checks that every member got every message, then drops the engine. */
    @TearDown(Level.Iteration)
    public void everyMemberGotEveryMessage() {
        try {
            load.awaitAtLeast("deliveries", load.deliveries::get, posted * members);
        } finally {
            load.close();
        }
    }
}
