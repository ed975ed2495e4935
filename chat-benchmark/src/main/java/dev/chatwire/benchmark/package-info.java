/**
 * Chatwire's load benchmark: {@link dev.chatwire.benchmark.LoadBenchmark} drives the example server and a bare Jetty
 * WebSocket server ({@link dev.chatwire.benchmark.BareServer}) with the same client code, alternating them, and
 * reports Chatwire's figures as ratios of the bare server's.
 */
package dev.chatwire.benchmark;
