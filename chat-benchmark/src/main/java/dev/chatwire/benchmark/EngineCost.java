package dev.chatwire.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chatwire.core.ChatEngine;
import dev.chatwire.core.ChatLimits;
import dev.chatwire.core.ClientSession;
import dev.chatwire.core.Principal;
import dev.chatwire.core.spi.Connection;
import dev.chatwire.core.spi.TokenVerification;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import java.util.function.ObjIntConsumer;

/**
 * The pairs workload's socket sends without sockets: Chatwire's engine, or the bare server's rooms, handles the same
 * {@code send} frames from one thread, over connections that complete every write at once. A send's cost here is the
 * server's own work (decoding, the checks, the store, encoding, fan-out and the outbound queues), warm and alone; the
 * rest of what a server spends per send in the pairs workload is the container's, the kernel's, and what the same code
 * costs among many sockets and threads on a JVM still compiling it. Run in a JVM of its own by
 * {@link LoadBenchmark}, once per server and round; prints one line of figures.
 *
 * <p>Chatwire runs in memory with its default limits, but for the command rate: here each user sends as fast as one
 * thread can, not at the pairs workload's 5 per second. Its token bucket still runs.
 */
final class EngineCost {

    private static final int PAIRS = 1000;
    private static final int SOCKETS = 2 * PAIRS;

    private final String[] chatIds = new String[PAIRS];
    private final String text;
    private final AtomicLong acks = new AtomicLong();
    private final AtomicLong deliveries = new AtomicLong();
    private final AtomicLong connected = new AtomicLong();
    private final AtomicLong others = new AtomicLong();

    private EngineCost(int textLength) {
        this.text = "x".repeat(textLength);
    }

    /**
     * What one run measured over its timed rounds.
     *
     * @param sends               sends handled
     * @param threadMicrosPerSend CPU of the sending thread per send
     * @param processMicrosPerSend CPU of the whole JVM per send: garbage collection and the JIT included
     * @param acks                {@code ack} frames written: one per send when nothing was lost
     * @param deliveries          {@code new_message} frames written: two per send
     * @param otherFrames         any other frame in the timed rounds (an error, say): none
     */
    record Result(long sends, double threadMicrosPerSend, double processMicrosPerSend, long acks, long deliveries,
                  long otherFrames) {

        /** Whether every send was acked and delivered to both sockets of its chat, and nothing else was written. */
        boolean correct() {
            return sends > 0 && acks == sends && deliveries == 2 * sends && otherFrames == 0;
        }

        String describe() {
            return String.format(Locale.ROOT, "%,d sends: %,d acks, %,d deliveries, %,d other frames", sends, acks,
                    deliveries, otherFrames);
        }

        /** The line {@link EngineCost#main} prints. */
        String format() {
            return String.format(Locale.ROOT, "%d %.3f %.3f %d %d %d", sends, threadMicrosPerSend,
                    processMicrosPerSend, acks, deliveries, otherFrames);
        }

        /** Reads the last line {@link #format} made. */
        static Result parse(String output) {
            String[] lines = output.split("\n");
            String[] fields = lines[lines.length - 1].trim().split(" ");
            if (fields.length != 6) {
                throw new IllegalArgumentException("not an engine cost result: " + output);
            }
            return new Result(Long.parseLong(fields[0]), Double.parseDouble(fields[1]), Double.parseDouble(fields[2]),
                    Long.parseLong(fields[3]), Long.parseLong(fields[4]), Long.parseLong(fields[5]));
        }
    }

    /**
     * Arguments: {@code chatwire} or {@code bare}, warm-up rounds, timed rounds, text length. Prints a {@link Result}.
     */
    public static void main(String[] args) throws Exception {
        EngineCost cost = new EngineCost(Integer.parseInt(args[3]));
        IntConsumer[] senders = args[0].equals("bare") ? cost.bare() : cost.chatwire();
        int warmRounds = Integer.parseInt(args[1]);
        int timedRounds = Integer.parseInt(args[2]);
        System.out.println(cost.measure(senders, warmRounds, timedRounds).format());
    }

    private Result measure(IntConsumer[] senders, int warmRounds, int timedRounds) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        int round = 0;
        for (; round < warmRounds; round++) {
            sendRound(senders, round);
        }
        long acks0 = acks.get();
        long deliveries0 = deliveries.get();
        long others0 = others.get();
        long thread0 = threads.getCurrentThreadCpuTime();
        long process0 = os.getProcessCpuTime();
        for (; round < warmRounds + timedRounds; round++) {
            sendRound(senders, round);
        }
        long threadNanos = threads.getCurrentThreadCpuTime() - thread0;
        long processNanos = os.getProcessCpuTime() - process0;
        long sends = (long) timedRounds * SOCKETS;
        return new Result(sends, threadNanos / 1e3 / sends, processNanos / 1e3 / sends, acks.get() - acks0,
                deliveries.get() - deliveries0, others.get() - others0);
    }

    private static void sendRound(IntConsumer[] senders, int round) {
        for (IntConsumer sender : senders) {
            sender.accept(round);
        }
    }

    private String frame(int socket, int round) {
        int message = round * SOCKETS + socket;
        return "{\"type\":\"send\",\"chatId\":\"" + chatIds[socket / 2] + "\",\"text\":\"" + text
                + "\",\"clientMessageId\":\"c" + message + "\"}";
    }

    private void written(String frame) {
        if (frame.startsWith("{\"type\":\"new_message\"")) {
            deliveries.incrementAndGet();
        } else if (frame.startsWith("{\"type\":\"ack\"")) {
            acks.incrementAndGet();
        } else if (frame.startsWith("{\"type\":\"connected\"")) {
            connected.incrementAndGet();
        } else {
            others.incrementAndGet();
        }
    }

    private IntConsumer[] chatwire() throws InterruptedException {
        ChatEngine engine = ChatEngine.builder().inMemory()
                .tokenVerifier(token -> TokenVerification.accepted(Principal.of(token)))
                .limits(ChatLimits.defaults().toBuilder().commandRate(1e9, 1_000_000).build())
                .build();
        for (int j = 0; j < PAIRS; j++) {
            chatIds[j] = engine.createChat(Principal.of(user(2 * j)), List.of(user(2 * j + 1)), null).id();
        }
        Connection connection = new Connection() {
            @Override
            public void send(String frame, SendCallback done) {
                written(frame);
                done.completed(null);
            }

            @Override
            public int maxSendsInFlight() {
                return 16;
            }

            @Override
            public void close(int code, String reason) {
                throw new IllegalStateException("the engine closed a connection: " + code + " " + reason);
            }
        };
        ClientSession[] sessions = new ClientSession[SOCKETS];
        for (int s = 0; s < SOCKETS; s++) {
            sessions[s] = engine.open(connection);
            sessions[s].onText("{\"type\":\"connect\",\"token\":\"" + user(s) + "\"}");
        }
        return senders((frame, socket) -> sessions[socket].onText(frame));
    }

    private IntConsumer[] bare() throws Exception {
        BareRooms rooms = new BareRooms();
        ObjectMapper mapper = rooms.mapper();
        for (int j = 0; j < PAIRS; j++) {
            String chat = rooms.createChat(user(2 * j), List.of(user(2 * j + 1)), null);
            chatIds[j] = mapper.readTree(chat).path("id").textValue();
        }
        BareSocket[] sockets = new BareSocket[SOCKETS];
        for (int s = 0; s < SOCKETS; s++) {
            sockets[s] = new Socket(Integer.toString(s));
            String claims = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(("{\"sub\":\"" + user(s) + "\"}").getBytes(StandardCharsets.UTF_8));
            rooms.onText(sockets[s], "{\"type\":\"connect\",\"token\":\"e30." + claims + ".unsigned\"}");
        }
        return senders((frame, socket) -> rooms.onText(sockets[socket], frame));
    }

    /** Once every socket is connected: for each socket, what sends its frame of a round to {@code handle}. */
    private IntConsumer[] senders(ObjIntConsumer<String> handle) throws InterruptedException {
        awaitConnected();
        IntConsumer[] senders = new IntConsumer[SOCKETS];
        for (int s = 0; s < SOCKETS; s++) {
            int socket = s;
            senders[s] = round -> handle.accept(frame(socket, round), socket);
        }
        return senders;
    }

    private void awaitConnected() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (connected.get() < SOCKETS) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(connected.get() + " of " + SOCKETS + " sockets connected");
            }
            Thread.sleep(10);
        }
    }

    private static String user(int socket) {
        return "pair-" + socket;
    }

    /** A bare server socket whose writes complete at once. */
    private final class Socket extends BareSocketState {
        Socket(String id) {
            super(id);
        }

        @Override
        public void send(String frame, Written done) {
            written(frame);
            if (done != null) {
                done.done(true);
            }
        }
    }
}
