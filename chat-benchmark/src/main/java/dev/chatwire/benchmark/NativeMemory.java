package dev.chatwire.benchmark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code jcmd VM.native_memory summary} (the server must run with {@code -XX:NativeMemoryTracking=summary}): the
 * committed memory of each JVM area (Java Heap, Thread, Other for direct buffers, ...), and the growth between two.
 */
final class NativeMemory {

    private static final Pattern AREA = Pattern.compile("^-\\s+(.+?) \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");
    private static final Pattern TOTAL = Pattern.compile("^Total: reserved=(\\d+)KB, committed=(\\d+)KB");

    private final Map<String, Long> committedKb;

    private NativeMemory(Map<String, Long> committedKb) {
        this.committedKb = committedKb;
    }

    /** Reads the summary. */
    static NativeMemory parse(String summary) {
        Map<String, Long> committed = new LinkedHashMap<>();
        for (String line : summary.split("\n")) {
            String trimmed = line.trim();
            Matcher total = TOTAL.matcher(trimmed);
            if (total.find()) {
                committed.put("Total", Long.parseLong(total.group(2)));
            }
            Matcher area = AREA.matcher(trimmed);
            if (area.find()) {
                committed.put(area.group(1).trim(), Long.parseLong(area.group(3)));
            }
        }
        return new NativeMemory(committed);
    }

    /** Committed bytes per connection added to each area since {@code before}, areas that grew, largest first. */
    List<String> growthSince(NativeMemory before, int connections) {
        List<Map.Entry<String, Double>> growth = new ArrayList<>();
        committedKb.forEach((area, kb) -> {
            double perConnection = (kb - before.committedKb.getOrDefault(area, 0L)) * 1024.0 / connections;
            if (Math.abs(perConnection) >= 1) {
                growth.add(Map.entry(area, perConnection));
            }
        });
        growth.sort(Map.Entry.<String, Double>comparingByValue().reversed());
        return growth.stream().map(e -> String.format("%8.0f B  %s", e.getValue(), e.getKey())).toList();
    }
}
