package dev.chatwire.benchmark;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Redis's counters come from {@code INFO all}, and a difference leaves out the INFO that read them. */
class RedisStatsTest {

    private static final String INFO = String.join("\r\n", "# Stats", "total_connections_received:12",
            "total_commands_processed:%d", "total_net_input_bytes:%d", "total_net_output_bytes:%d", "",
            "# Commandstats", "cmdstat_publish:calls=%d,usec=90,usec_per_call=1.50", "cmdstat_info:calls=3", "");

    @Test
    void countersAreReadAndTheirDifferenceLeavesOutTheInfoCommand() {
        RedisStats before = RedisStats.parse(String.format(INFO, 100, 5_000, 7_000, 10));
        RedisStats after = RedisStats.parse(String.format(INFO, 131, 8_000, 12_000, 40));

        assertThat(before).isEqualTo(new RedisStats(100, 10, 5_000, 7_000));
        assertThat(after.since(before)).isEqualTo(new RedisStats(30, 30, 3_000, 5_000));
    }

    @Test
    void aServerThatNeverPublishedHasNoPublishes() {
        String info = "total_commands_processed:1\r\ntotal_net_input_bytes:2\r\ntotal_net_output_bytes:3\r\n";

        assertThat(RedisStats.parse(info)).isEqualTo(new RedisStats(1, 0, 2, 3));
    }
}
