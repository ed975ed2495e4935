package dev.chatwire.redis;

/**
 * The Lua scripts of {@link RedisPresenceRegistry}; the class Javadoc there describes the keys they touch.
 *
 * <p>Scripts read the time from the Redis server ({@code TIME}) so that node clocks never need to agree. Members of a
 * node's connection set are {@code <byte length of userId>:<userId><connectionId>}, so neither id needs escaping.
 */
final class PresenceScripts {

    private PresenceScripts() {
    }

    private static final String NOW = """
            local clock = redis.call('TIME')
            local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
            """;

    /** Removes every connection of a node that the node still owns, collecting users left without connections. */
    private static final String REMOVE_NODE = """
            local function removeNode(prefix, node, offline, seen)
              local connsKey = prefix .. 'node:' .. node .. ':conns'
              for _, member in ipairs(redis.call('SMEMBERS', connsKey)) do
                local colon = string.find(member, ':', 1, true)
                if colon then
                  local length = tonumber(string.sub(member, 1, colon - 1))
                  local user = string.sub(member, colon + 1, colon + length)
                  local conn = string.sub(member, colon + length + 1)
                  local userKey = prefix .. 'user:' .. user
                  if redis.call('HGET', userKey, conn) == node then
                    redis.call('HDEL', userKey, conn)
                    if redis.call('EXISTS', userKey) == 0 and not seen[user] then
                      seen[user] = true
                      offline[#offline + 1] = user
                    end
                  end
                end
              end
              redis.call('DEL', connsKey)
            end
            """;

    /**
     * KEYS: user hash, own connection set, nodes zset. ARGV: prefix, nodeId, connectionId, member, deadline offset ms,
     * and {@code take} (a new connection: take it over if another node has the same id) or {@code restore} (registering
     * a live connection again: leave it to a node that took it over). Returns 1 if the user had no connection before,
     * 0 if it had, -1 if a restore found the connection owned by another node. Registers the node (NX) so that it can
     * be reaped even if it dies before its first heartbeat.
     */
    static final LuaScript CONNECT = new LuaScript(NOW + """
            redis.call('ZADD', KEYS[3], 'NX', now + tonumber(ARGV[5]), ARGV[2])
            local owner = redis.call('HGET', KEYS[1], ARGV[3])
            if owner == ARGV[2] then
              redis.call('SADD', KEYS[2], ARGV[4])
              return 0
            end
            if owner and ARGV[6] == 'restore' then
              return -1
            end
            local wasOffline = redis.call('EXISTS', KEYS[1]) == 0
            if owner then
              redis.call('SREM', ARGV[1] .. 'node:' .. owner .. ':conns', ARGV[4])
            end
            redis.call('HSET', KEYS[1], ARGV[3], ARGV[2])
            redis.call('SADD', KEYS[2], ARGV[4])
            if wasOffline then
              return 1
            end
            return 0
            """);

    /**
     * KEYS: user hash, own connection set. ARGV: nodeId, connectionId, member. Removes the connection only if this
     * node owns it; returns 1 if that left the user without connections.
     */
    static final LuaScript DISCONNECT = new LuaScript("""
            redis.call('SREM', KEYS[2], ARGV[3])
            if redis.call('HGET', KEYS[1], ARGV[2]) ~= ARGV[1] then
              return 0
            end
            redis.call('HDEL', KEYS[1], ARGV[2])
            if redis.call('EXISTS', KEYS[1]) == 0 then
              return 1
            end
            return 0
            """);

    /**
     * KEYS: nodes zset, own connection set. ARGV: nodeId, deadline offset ms. Pushes the node's deadline forward;
     * returns {1 if the node was missing (reaped, or Redis lost its data), size of the node's connection set}.
     */
    static final LuaScript HEARTBEAT = new LuaScript(NOW + """
            local added = redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
            return {added, redis.call('SCARD', KEYS[2])}
            """);

    /**
     * KEYS: nodes zset, departed list. ARGV: prefix, own nodeId, most nodes to reap in one run. Removes the
     * connections of nodes whose deadline passed, drains the users that nodes which left cleanly had left offline,
     * and returns every user that is offline as a result, once.
     */
    static final LuaScript REAP = new LuaScript(NOW + REMOVE_NODE + """
            local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. now, 'LIMIT', 0, tonumber(ARGV[3]))
            local offline, seen = {}, {}
            for _, node in ipairs(dead) do
              if node ~= ARGV[2] then
                removeNode(ARGV[1], node, offline, seen)
                redis.call('ZREM', KEYS[1], node)
              end
            end
            local departed = redis.call('LRANGE', KEYS[2], 0, -1)
            if #departed > 0 then
              redis.call('DEL', KEYS[2])
              for _, user in ipairs(departed) do
                if not seen[user] and redis.call('EXISTS', ARGV[1] .. 'user:' .. user) == 0 then
                  seen[user] = true
                  offline[#offline + 1] = user
                end
              end
            end
            return offline
            """);

    /**
     * KEYS: nodes zset, departed list. ARGV: prefix, nodeId, departed list ttl ms. Removes the node and its
     * connections and queues the users it left offline for a surviving node to report; returns how many.
     */
    static final LuaScript LEAVE = new LuaScript(REMOVE_NODE + """
            local offline, seen = {}, {}
            removeNode(ARGV[1], ARGV[2], offline, seen)
            redis.call('ZREM', KEYS[1], ARGV[2])
            for first = 1, #offline, 500 do
              redis.call('RPUSH', KEYS[2], unpack(offline, first, math.min(first + 499, #offline)))
            end
            if #offline > 0 then
              redis.call('PEXPIRE', KEYS[2], ARGV[3])
            end
            return #offline
            """);

    /** KEYS: user hashes. Returns, for each, 1 if it exists (the user has a connection) or 0. */
    static final LuaScript ONLINE = new LuaScript("""
            local result = {}
            for i, key in ipairs(KEYS) do
              result[i] = redis.call('EXISTS', key)
            end
            return result
            """);
}
