package dev.chatwire.benchmark;

import com.sun.management.ThreadMXBean;
import dev.chatwire.core.Message;
import dev.chatwire.core.MessageType;
import dev.chatwire.core.protocol.ProtocolCodec;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Checks, on the running Chatwire server, that a message is serialized once per publish and not once per recipient.
 *
 * <p>The server runs a fan-out under JFR with dense allocation sampling ({@link #jvmFlags}). The bytes allocated under
 * the codec's serializing methods ({@link #SERIALIZING}) during the timed phase, divided by the publishes, give the
 * bytes serialized per publish; dividing that by what serializing one such message into a {@code new_message} frame
 * allocates, as the engine does it (measured here, in this JVM, on the same codec), gives the serializations per
 * publish: about 1 if the engine encodes once, about N (the recipients) if it encodes per recipient. The same is done
 * for the servlet's JSON answers ({@code ChatServlet.writeJson}): about 0, since the answer to a posted message reuses
 * the text the engine serialized for the room, and 1 if it serialized the message again.
 */
final class SerializationCheck {

    /** The codec's methods that serialize: an event whole, or a message and the frame around it. */
    static final Set<String> SERIALIZING = Set.of("dev.chatwire.core.protocol.ProtocolCodec.encode",
            "dev.chatwire.core.protocol.ProtocolCodec.encodeMessage",
            "dev.chatwire.core.protocol.ProtocolCodec.newMessageFrame");

    /**
     * What the check found.
     *
     * @param throughput           the fan-out it ran (its delivery check included)
     * @param members              recipients per publish
     * @param encodesPerPublish    bytes serialized by the codec per publish, in single encodes
     * @param responseEncodes      REST response serialization bytes per publish, in single encodes
     * @param bytesPerEncode       what one encode allocates
     * @param encodeCpuPercent     the share of CPU samples inside the codec's serializing methods
     */
    record Result(Throughput throughput, int members, double encodesPerPublish, double responseEncodes,
                  double bytesPerEncode, double encodeCpuPercent) {
    }

    private SerializationCheck() {
    }

    /**
     * The flags of the checked server: JFR recording every TLAB refill, and small fixed TLABs, so that every 16 KB a
     * thread allocates yields one sample with its stack. They slow the server down; the check times nothing.
     */
    static List<String> jvmFlags(Path dir) throws IOException {
        List<String> flags = new ArrayList<>(JfrSummary.recordingFlags(dir, 150, true));
        flags.add("-XX:-ResizeTLAB");
        flags.add("-XX:TLABSize=16k");
        return flags;
    }

    /** Runs the check against a Chatwire server started with {@link JfrSummary#recordingFlags}. */
    static Result run(Workload run, Path recording) throws Exception {
        BenchmarkOptions o = run.options();
        int members = Math.min(o.fanoutMembers(), o.smoke() ? o.fanoutMembers() : 200);
        int messages = o.smoke() ? 100 : 600;
        AtomicReference<Instant> from = new AtomicReference<>();
        AtomicReference<Instant> to = new AtomicReference<>();
        Throughput throughput = FanOutWorkload.run(run, members, o.fanoutWarmup(), messages, o.fanoutWindow(),
                () -> from.set(Instant.now()), () -> to.set(Instant.now()));
        JfrSummary.dump(run.server(), recording);
        long encodeBytes = JfrSummary.bytesUnder(recording, from.get(), to.get(), true, SERIALIZING::contains);
        long responseBytes = JfrSummary.bytesUnder(recording, from.get(), to.get(), true,
                name -> name.equals("dev.chatwire.jakarta.ChatServlet.writeJson"));
        JfrSummary summary = JfrSummary.read(recording, from.get(), to.get());
        double perEncode = bytesPerEncode(o.textLength());
        double publishes = Math.max(1, throughput.units() / (double) members);
        return new Result(throughput, members, encodeBytes / perEncode / publishes,
                responseBytes / perEncode / publishes, perEncode,
                summary.cpuPercent(SERIALIZING::contains));
    }

    /**
     * What serializing a benchmark-sized message into a {@code new_message} frame allocates, as the engine does it
     * (the message, then the frame around it), once the JIT has warmed up.
     */
    static double bytesPerEncode(int textLength) {
        ProtocolCodec codec = new ProtocolCodec();
        Message message = new Message(UUID.randomUUID().toString(),
                UUID.randomUUID().toString(), 1234, "fan-0", MessageType.TEXT,
                new Marker(1234, System.nanoTime()).text(textLength), null, "c1234",
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        int iterations = 20_000;
        long sink = 0;
        for (int i = 0; i < iterations; i++) {
            sink += codec.newMessageFrame(codec.encodeMessage(message)).length();
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < iterations; i++) {
            sink += codec.newMessageFrame(codec.encodeMessage(message)).length();
        }
        long after = threads.getCurrentThreadAllocatedBytes();
        if (sink == 0) {
            throw new IllegalStateException("nothing encoded");
        }
        return (after - before) / (double) iterations;
    }
}
