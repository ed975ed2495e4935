/**
 * Redis adapters: {@link dev.chatwire.redis.RedisPresenceRegistry} (multi-device, multi-node presence that heals when
 * a node dies) and {@link dev.chatwire.redis.RedisRoomBroadcaster} (rooms spanning nodes over pub/sub), both on a
 * Jedis client the host owns; {@link dev.chatwire.redis.RedisClients} builds one with fail-fast timeouts.
 */
package dev.chatwire.redis;
