package dev.chatwire.benchmark;

import java.util.Map;

/**
 * What one workload run measured under one report name ({@code pairs} measures {@code pairs-socket} and
 * {@code pairs-rest}).
 *
 * @param rateKey the figure that is the workload's rate, which several nodes also report per node
 * @param figures its figures by key
 * @param correct whether its delivery checks passed
 * @param checks  what its delivery checks found
 */
record Measured(String workload, String rateKey, Map<String, Double> figures, boolean correct, String checks) {
}
