package dev.chatwire.benchmark;

import redis.clients.jedis.Jedis;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Redis's traffic counters from {@code INFO all}, read from the server directly, past its proxy.
 *
 * @param commands    commands processed ({@code total_commands_processed})
 * @param publishes   {@code PUBLISH} calls ({@code cmdstat_publish})
 * @param inputBytes  bytes read from clients ({@code total_net_input_bytes}), published payloads among them
 * @param outputBytes bytes written to clients ({@code total_net_output_bytes}), deliveries to subscribers in them
 */
record RedisStats(long commands, long publishes, long inputBytes, long outputBytes) {

    static RedisStats read(int port) {
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            return parse(jedis.info("all"));
        }
    }

    /** Reads the counters from {@code INFO all} output. */
    static RedisStats parse(String info) {
        Matcher publishes = Pattern.compile("cmdstat_publish:calls=(\\d+)").matcher(info);
        return new RedisStats(field(info, "total_commands_processed"), publishes.find()
                ? Long.parseLong(publishes.group(1)) : 0, field(info, "total_net_input_bytes"),
                field(info, "total_net_output_bytes"));
    }

    private static long field(String info, String name) {
        Matcher value = Pattern.compile("(?m)^" + name + ":(\\d+)").matcher(info);
        if (!value.find()) {
            throw new IllegalStateException("no " + name + " in Redis INFO");
        }
        return Long.parseLong(value.group(1));
    }

    /** What happened between {@code earlier} and these counters; the {@code INFO} that read these counts one. */
    RedisStats since(RedisStats earlier) {
        return new RedisStats(commands - earlier.commands - 1, publishes - earlier.publishes,
                inputBytes - earlier.inputBytes, outputBytes - earlier.outputBytes);
    }
}
