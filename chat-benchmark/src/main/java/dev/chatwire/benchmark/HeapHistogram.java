package dev.chatwire.benchmark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A {@code jcmd GC.class_histogram}: live instances and bytes per class, and the difference of two of them. */
final class HeapHistogram {

    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
    private static final Pattern TOTAL = Pattern.compile("^Total\\s+(\\d+)\\s+(\\d+)\\s*$");

    private final Map<String, long[]> rows;
    private final long totalBytes;

    private HeapHistogram(Map<String, long[]> rows, long totalBytes) {
        this.rows = rows;
        this.totalBytes = totalBytes;
    }

    /**
     * The bytes of every live object, as the histogram's {@code Total} line sums them: exact, where the heap in use
     * that {@code GC.heap_info} reports counts G1's regions (a humongous array fills whole ones).
     */
    long totalBytes() {
        return totalBytes;
    }

    /** Reads {@code jcmd GC.class_histogram} output. */
    static HeapHistogram parse(String output) {
        Map<String, long[]> rows = new HashMap<>();
        long total = -1;
        for (String line : output.split("\n")) {
            Matcher row = ROW.matcher(line);
            Matcher sum = TOTAL.matcher(line.trim());
            if (row.find()) {
                rows.merge(row.group(3), new long[]{Long.parseLong(row.group(1)), Long.parseLong(row.group(2))},
                        (a, b) -> new long[]{a[0] + b[0], a[1] + b[1]});
            } else if (sum.find()) {
                total = Long.parseLong(sum.group(2));
            }
        }
        if (total < 0) {
            throw new IllegalStateException("no Total line in GC.class_histogram output: " + output);
        }
        return new HeapHistogram(rows, total);
    }

    /**
     * A class's growth per connection between two histograms.
     *
     * @param className          the class, as the JVM names it ({@code [B} is {@code byte[]})
     * @param instancesPerSocket instances added per connection
     * @param bytesPerSocket     bytes added per connection
     */
    record Growth(String className, double instancesPerSocket, double bytesPerSocket) {
    }

    /** What grew from {@code before} to this histogram, per connection, largest first. */
    List<Growth> growthSince(HeapHistogram before, int connections, int limit) {
        List<Growth> growth = new ArrayList<>();
        rows.forEach((name, now) -> {
            long[] then = before.rows.getOrDefault(name, new long[2]);
            long bytes = now[1] - then[1];
            if (bytes > 0) {
                growth.add(new Growth(name, (now[0] - then[0]) / (double) connections,
                        bytes / (double) connections));
            }
        });
        growth.sort(Comparator.comparingDouble(Growth::bytesPerSocket).reversed());
        return growth.subList(0, Math.min(limit, growth.size()));
    }
}
