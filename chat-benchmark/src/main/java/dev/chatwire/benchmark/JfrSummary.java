package dev.chatwire.benchmark;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Where a server's time and memory went, from a JFR recording: the hottest methods by CPU samples (where the sample
 * was taken, and every method on the stack), and allocation by class and by allocating site. Also runnable on its own:
 * {@code java -cp chatwire-benchmark.jar dev.chatwire.benchmark.JfrSummary recording.jfr}.
 */
public final class JfrSummary {

    /** A JFR configuration for the benchmark: CPU samples every 2 ms and dense allocation samples. */
    private static final String SETTINGS = """
            <?xml version="1.0" encoding="UTF-8"?>
            <configuration version="2.0" label="chatwire-benchmark">
              <event name="jdk.ExecutionSample">
                <setting name="enabled">true</setting>
                <setting name="period">2 ms</setting>
              </event>
              <event name="jdk.ObjectAllocationSample">
                <setting name="enabled">true</setting>
                <setting name="throttle">%d/s</setting>
                <setting name="stackTrace">true</setting>
              </event>
            %s</configuration>
            """;

    /** Every TLAB refill and every allocation outside a TLAB: exact-cadence allocation samples, at a cost. */
    private static final String EVERY_TLAB = """
              <event name="jdk.ObjectAllocationInNewTLAB">
                <setting name="enabled">true</setting>
                <setting name="stackTrace">true</setting>
              </event>
              <event name="jdk.ObjectAllocationOutsideTLAB">
                <setting name="enabled">true</setting>
                <setting name="stackTrace">true</setting>
              </event>
            """;

    private final Map<String, Long> selfSamples = new HashMap<>();
    private final Map<String, Long> totalSamples = new HashMap<>();
    private final Map<String, Long> bytesByClass = new HashMap<>();
    private final Map<String, Long> bytesBySite = new HashMap<>();
    private long samples;
    private long allocated;

    private JfrSummary() {
    }

    /** Prints the summary of a recording. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: JfrSummary <recording.jfr>");
            System.exit(2);
        }
        System.out.print(read(Path.of(args[0]), Instant.MIN, Instant.MAX).describe(25));
    }

    /**
     * The JVM flags that make a server record CPU samples every 2 ms and up to {@code allocationSamples} allocation
     * samples a second, with deep stacks; the settings file is written into {@code dir}.
     *
     * @param everyTlab also record every TLAB refill and every allocation outside a TLAB
     */
    static List<String> recordingFlags(Path dir, int allocationSamples, boolean everyTlab) throws IOException {
        Path settings = dir.resolve("benchmark-" + allocationSamples + (everyTlab ? "-tlab" : "") + ".jfc");
        Files.createDirectories(dir);
        Files.writeString(settings, SETTINGS.formatted(allocationSamples, everyTlab ? EVERY_TLAB : ""));
        return List.of("-XX:StartFlightRecording=name=bench,settings=" + settings,
                "-XX:FlightRecorderOptions=stackdepth=128");
    }

    /** Dumps a server's recording (started with {@link #recordingFlags}) to {@code file}. */
    static void dump(ServerProcess server, Path file) throws IOException, InterruptedException {
        server.jcmd("JFR.dump", "name=bench", "filename=" + file.toAbsolutePath());
    }

    /** Reads the events of a recording that started between {@code from} and {@code to}. */
    static JfrSummary read(Path recording, Instant from, Instant to) throws IOException {
        JfrSummary summary = new JfrSummary();
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                Instant start = event.getStartTime();
                if (start.isBefore(from) || start.isAfter(to)) {
                    continue;
                }
                String type = event.getEventType().getName();
                if (type.equals("jdk.ExecutionSample")) {
                    summary.cpuSample(event.getStackTrace());
                } else if (type.equals("jdk.ObjectAllocationSample")) {
                    summary.allocation(event);
                }
            }
        }
        return summary;
    }

    private void cpuSample(RecordedStackTrace stack) {
        if (stack == null || stack.getFrames().isEmpty()) {
            return;
        }
        samples++;
        List<RecordedFrame> frames = stack.getFrames();
        selfSamples.merge(name(frames.get(0)), 1L, Long::sum);
        Set<String> seen = new HashSet<>();
        for (RecordedFrame frame : frames) {
            String name = name(frame);
            if (seen.add(name)) {
                totalSamples.merge(name, 1L, Long::sum);
            }
        }
    }

    private void allocation(RecordedEvent event) {
        long weight = event.getLong("weight");
        allocated += weight;
        bytesByClass.merge(event.getClass("objectClass").getName(), weight, Long::sum);
        RecordedStackTrace stack = event.getStackTrace();
        String site = "(no stack)";
        if (stack != null) {
            site = stack.getFrames().stream().map(JfrSummary::name)
                    .filter(name -> name.startsWith("dev.chatwire.")).findFirst()
                    .orElse(stack.getFrames().isEmpty() ? site : name(stack.getFrames().get(0)));
        }
        bytesBySite.merge(site, weight, Long::sum);
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    /** CPU samples taken. */
    long samples() {
        return samples;
    }

    /** The share of CPU samples with a method matching {@code method} on the stack, in percent. */
    double cpuPercent(Predicate<String> method) {
        long matching = totalSamples.entrySet().stream().filter(e -> method.test(e.getKey()))
                .mapToLong(Map.Entry::getValue).max().orElse(0);
        return samples == 0 ? 0 : 100.0 * matching / samples;
    }

    /** Estimated bytes allocated in total. */
    long allocatedBytes() {
        return allocated;
    }

    /** A readable summary: the top {@code limit} of each table. */
    String describe(int limit) {
        StringBuilder text = new StringBuilder();
        text.append(String.format("CPU samples: %,d%n", samples));
        text.append("  hottest methods (where the sample was taken):\n");
        top(selfSamples, limit).forEach(e -> text.append(String.format("    %5.1f%%  %s%n",
                100.0 * e.getValue() / Math.max(1, samples), e.getKey())));
        text.append("  methods on the stack, dev.chatwire and the container's WebSocket and servlet layers:\n");
        Map<String, Long> ours = new HashMap<>();
        totalSamples.forEach((name, count) -> {
            if (name.startsWith("dev.chatwire.") || name.startsWith("com.fasterxml.jackson.databind.ObjectMapper.")
                    || name.startsWith("com.auth0.jwt.JWTVerifier.")
                    || name.startsWith("org.eclipse.jetty.ee10.websocket.jakarta.common.JakartaWebSocketAsyncRemote.")
                    || name.startsWith("org.eclipse.jetty.websocket.core.internal.FrameFlusher.")
                    || name.startsWith("org.eclipse.jetty.ee10.servlet.ServletChannel.handle")) {
                ours.put(name, count);
            }
        });
        top(ours, limit).forEach(e -> text.append(String.format("    %5.1f%%  %s%n",
                100.0 * e.getValue() / Math.max(1, samples), e.getKey())));
        text.append(String.format("allocation (estimated from samples): %,d MB%n", allocated >> 20));
        text.append("  by class:\n");
        top(bytesByClass, limit).forEach(e -> text.append(String.format("    %5.1f%%  %,10d KB  %s%n",
                100.0 * e.getValue() / Math.max(1, allocated), e.getValue() >> 10, e.getKey())));
        text.append("  by allocating site (first dev.chatwire frame, else the allocating method):\n");
        top(bytesBySite, limit).forEach(e -> text.append(String.format("    %5.1f%%  %,10d KB  %s%n",
                100.0 * e.getValue() / Math.max(1, allocated), e.getValue() >> 10, e.getKey())));
        return text.toString();
    }

    /**
     * Bytes allocated under a method matching {@code method} (anywhere on the allocating stack), estimated from the
     * events of one allocation event type: {@code jdk.ObjectAllocationSample} (its weight) or
     * {@code jdk.ObjectAllocationInNewTLAB} with {@code jdk.ObjectAllocationOutsideTLAB} (the TLAB's size, or the
     * object's, for every refill).
     */
    static long bytesUnder(Path recording, Instant from, Instant to, boolean everyTlab, Predicate<String> method)
            throws IOException {
        long bytes = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                long weight = everyTlab ? tlabWeight(event) : sampleWeight(event);
                if (weight == 0 || event.getStartTime().isBefore(from) || event.getStartTime().isAfter(to)
                        || event.getStackTrace() == null) {
                    continue;
                }
                if (event.getStackTrace().getFrames().stream().map(JfrSummary::name).anyMatch(method)) {
                    bytes += weight;
                }
            }
        }
        return bytes;
    }

    private static long sampleWeight(RecordedEvent event) {
        return event.getEventType().getName().equals("jdk.ObjectAllocationSample") ? event.getLong("weight") : 0;
    }

    private static long tlabWeight(RecordedEvent event) {
        return switch (event.getEventType().getName()) {
            case "jdk.ObjectAllocationInNewTLAB" -> event.getLong("tlabSize");
            case "jdk.ObjectAllocationOutsideTLAB" -> event.getLong("allocationSize");
            default -> 0;
        };
    }

    private static List<Map.Entry<String, Long>> top(Map<String, Long> counts, int limit) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(limit)
                .toList();
    }
}
