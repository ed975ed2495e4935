/**
 * What a test of a Chatwire deployment starts beside it: {@link dev.chatwire.testing.RedisTestServer}, a real
 * {@code redis-server} process on a free port, {@link dev.chatwire.testing.MongoTestServer}, MongoDB's wire protocol
 * in-process, and {@link dev.chatwire.testing.TcpLink}, a loopback TCP link that delays, cuts or black-holes the
 * traffic between a server and a backend.
 */
package dev.chatwire.testing;
