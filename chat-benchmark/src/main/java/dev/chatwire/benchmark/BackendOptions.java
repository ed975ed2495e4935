package dev.chatwire.benchmark;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the deployed-configuration suite ({@code --backends}) does: the example server on MongoDB and Redis behind
 * delay proxies, on one node and on several, beside the same workloads on in-memory stores.
 *
 * @param run               whether the suite runs
 * @param delayMillis       the delay each proxy adds in each direction (a round trip costs twice this)
 * @param mongoUri          a real MongoDB to use instead of the stand-in, or null
 * @param nodes             the node counts to run beside one node (2 and 3 by default)
 * @param workloads         which of {@link #ALL_WORKLOADS} to run
 * @param multiNode         which of them also run on several nodes: all of them unless set
 * @param hotMembers        members of the hot chat, each with a socket, all posting
 * @param hotWarmup         hot-chat messages posted before the timed ones
 * @param hotMessages       hot-chat messages timed
 * @param hotWindow         hot-chat posts in flight at once
 * @param admissionSockets  sockets of the admission storm
 * @param admissionChatSize members per chat in it
 * @param pairs             direct chats of the pairs workload here (fewer than alone: a send costs more)
 * @param pairMessages      socket and REST sends per user in it
 * @param pairWarmup        paced socket sends per user before its timed ones
 * @param fanoutMembers     members of the fan-out chat here
 * @param fanoutMessages    fan-out messages timed here
 */
record BackendOptions(boolean run, double delayMillis, String mongoUri, List<Integer> nodes, Set<String> workloads,
                      Set<String> multiNode, int hotMembers, int hotWarmup, int hotMessages, int hotWindow,
                      int admissionSockets,
                      int admissionChatSize, int pairs, int pairMessages, int pairWarmup, int fanoutMembers,
                      int fanoutMessages) {

    /** The suite's workloads, in the order they run on each deployment. */
    static final List<String> ALL_WORKLOADS = List.of("admission", "hotchat", "pairs", "fanout");

    /** Checks the options. */
    BackendOptions {
        nodes = List.copyOf(nodes);
        workloads = Set.copyOf(workloads);
        multiNode = Set.copyOf(multiNode);
        for (String workload : java.util.stream.Stream.concat(workloads.stream(), multiNode.stream()).toList()) {
            if (!ALL_WORKLOADS.contains(workload)) {
                throw new IllegalArgumentException("unknown backends workload '" + workload + "'; known: "
                        + ALL_WORKLOADS);
            }
        }
        if (delayMillis < 0 || nodes.stream().anyMatch(n -> n < 2) || hotMembers < 2 || hotMessages < 1
                || hotWindow < 1 || hotWarmup < 0 || admissionChatSize < 2 || admissionSockets < admissionChatSize
                || pairs < 1 || pairMessages < 1 || pairMessages > 40 || pairWarmup < 0 || fanoutMembers < 2
                || fanoutMessages < 1) {
            throw new IllegalArgumentException("backends sizes must be positive (nodes at least 2, pair messages at "
                    + "most 40)");
        }
    }

    /** The full suite's sizes: issue 16's, with smaller pairs and fan-out, since a send costs more on backends. */
    static BackendOptions full(boolean run) {
        return new BackendOptions(run, 1, null, List.of(2, 3), Set.copyOf(ALL_WORKLOADS), Set.copyOf(ALL_WORKLOADS),
                20, 100, 1000, 50, 5000, 10, 100, 10, 10, 1000, 200);
    }

    /** The smoke sizes: every workload on one node and on two, the hot chat and pairs written from both. */
    static BackendOptions smoke() {
        return new BackendOptions(true, 1, null, List.of(2), Set.copyOf(ALL_WORKLOADS), Set.copyOf(ALL_WORKLOADS),
                10, 5, 20, 20, 50, 10, 5, 3, 1, 10, 10);
    }

    /** The usage lines of these options. */
    static List<String> usage() {
        return List.of(
                "  --backends                the deployed configuration instead of the bare comparison: the example",
                "                            server on MongoDB and Redis behind delay proxies, on 1 node and on",
                "                            --nodes, beside in-memory stores; --only then names its workloads:",
                "                            admission, hotchat, pairs, fanout (default all)",
                "  --with-backends           the bare comparison, then the deployed configuration, in one run",
                "  --backend-delay-ms D      delay added each way between the servers and each backend (1)",
                "  --mongo-uri URI           a real MongoDB (one host) instead of the stand-in; each deployment",
                "                            stores in a new database",
                "  --nodes a,b               node counts run beside one node (2,3; \"none\" for one node only)",
                "  --multi-node a,b          the workloads that run on those too (all)",
                "  --hot-members N           members of the hot chat, all posting (20)",
                "  --hot-messages M          hot-chat messages timed (1000), after 100 untimed",
                "  --hot-window W            hot-chat posts in flight (50)",
                "  --admission-sockets S     sockets of the admission storm (5000)",
                "  --admission-chat-size G   members per chat in it (10)",
                "  --backend-pairs P         direct chats of the pairs workload with backends (100)",
                "  --backend-pair-messages K sends per user over the socket and over REST there (10)",
                "  --backend-fanout-members N  members of the fan-out chat there (1000)",
                "  --backend-fanout-messages M fan-out messages timed there (200)");
    }

    /**
     * Reads the option at {@code args[i]} if it is one of these.
     *
     * @return the index of its last argument, or -1 when it is not one of these options
     */
    static int parseOne(String[] args, int i, Builder into) {
        String arg = args[i];
        switch (arg) {
            case "--backends", "--with-backends" -> into.run = true;
            case "--backend-delay-ms" -> into.delayMillis = Double.parseDouble(value(args, i + 1, arg));
            case "--mongo-uri" -> into.mongoUri = value(args, i + 1, arg);
            case "--nodes" -> {
                String nodes = value(args, i + 1, arg);
                into.nodes = nodes.equals("none") ? List.of()
                        : Arrays.stream(nodes.split(",")).map(n -> Integer.parseInt(n.trim())).toList();
            }
            case "--multi-node" -> into.multiNode = new LinkedHashSet<>(Arrays.asList(value(args, i + 1, arg)
                    .split(",")));
            case "--hot-members" -> into.hotMembers = number(args, i + 1, arg);
            case "--hot-messages" -> into.hotMessages = number(args, i + 1, arg);
            case "--hot-window" -> into.hotWindow = number(args, i + 1, arg);
            case "--admission-sockets" -> into.admissionSockets = number(args, i + 1, arg);
            case "--admission-chat-size" -> into.admissionChatSize = number(args, i + 1, arg);
            case "--backend-pairs" -> into.pairs = number(args, i + 1, arg);
            case "--backend-pair-messages" -> into.pairMessages = number(args, i + 1, arg);
            case "--backend-fanout-members" -> into.fanoutMembers = number(args, i + 1, arg);
            case "--backend-fanout-messages" -> into.fanoutMessages = number(args, i + 1, arg);
            default -> {
                return -1;
            }
        }
        return arg.equals("--backends") || arg.equals("--with-backends") ? i : i + 1;
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static int number(String[] args, int index, String option) {
        try {
            return Integer.parseInt(value(args, index, option).replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number", e);
        }
    }

    /** A builder starting from these options. */
    Builder toBuilder() {
        return new Builder(this);
    }

    /** Mutable options while the command line is read. */
    static final class Builder {
        boolean run;
        double delayMillis;
        String mongoUri;
        List<Integer> nodes;
        Set<String> workloads;
        Set<String> multiNode;
        int hotMembers;
        int hotWarmup;
        int hotMessages;
        int hotWindow;
        int admissionSockets;
        int admissionChatSize;
        int pairs;
        int pairMessages;
        int pairWarmup;
        int fanoutMembers;
        int fanoutMessages;

        private Builder(BackendOptions o) {
            run = o.run;
            delayMillis = o.delayMillis;
            mongoUri = o.mongoUri;
            nodes = o.nodes;
            workloads = new LinkedHashSet<>(o.workloads);
            multiNode = new LinkedHashSet<>(o.multiNode);
            hotMembers = o.hotMembers;
            hotWarmup = o.hotWarmup;
            hotMessages = o.hotMessages;
            hotWindow = o.hotWindow;
            admissionSockets = o.admissionSockets;
            admissionChatSize = o.admissionChatSize;
            pairs = o.pairs;
            pairMessages = o.pairMessages;
            pairWarmup = o.pairWarmup;
            fanoutMembers = o.fanoutMembers;
            fanoutMessages = o.fanoutMessages;
        }

        BackendOptions build() {
            return new BackendOptions(run, delayMillis, mongoUri, nodes, workloads, multiNode, hotMembers, hotWarmup,
                    hotMessages, hotWindow, admissionSockets, admissionChatSize, pairs, pairMessages, pairWarmup,
                    fanoutMembers, fanoutMessages);
        }
    }
}
