package dev.chatwire.examples;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The checker's table of a fault run, one row per reader: what it should have received (its chat's stored seqs) and
 * how what it did receive differs. The test asserts the same; the table is for the long run's report.
 */
final class FaultRunTable {

    private final List<String> rows = new ArrayList<>();
    private long lost;
    private long duplicated;
    private long reordered;

    /** Compares what a reader got, in arrival order, with the seqs stored for its chat. */
    void reader(String userId, String chatId, List<Long> stored, List<Long> got, int connects) {
        Set<Long> seen = new HashSet<>(got);
        long readerLost = stored.stream().filter(seq -> !seen.contains(seq)).count();
        long readerDuplicated = got.size() - seen.size();
        long readerReordered = 0;
        for (int i = 1; i < got.size(); i++) {
            if (got.get(i) <= got.get(i - 1)) {
                readerReordered++;
            }
        }
        lost += readerLost;
        duplicated += readerDuplicated;
        reordered += readerReordered;
        rows.add(String.format("| %s | %s | %d | %d | %d | %d | %d | %d |", userId, chatId, stored.size(), got.size(),
                readerLost, readerDuplicated, readerReordered, connects));
    }

    /** The table in Markdown, with the run's totals above it. */
    String render(int rounds, int acknowledged, int refused, long seconds) {
        StringBuilder table = new StringBuilder();
        table.append(String.format("fault run: %d rounds in %d s, %d messages acknowledged, %d posts refused "
                + "during faults; in total %d lost, %d duplicated, %d reordered%n", rounds, seconds, acknowledged,
                refused, lost, duplicated, reordered));
        table.append("| reader | chat | stored | received | lost | duplicated | reordered | sockets |\n");
        table.append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        rows.forEach(row -> table.append(row).append('\n'));
        return table.toString();
    }
}
