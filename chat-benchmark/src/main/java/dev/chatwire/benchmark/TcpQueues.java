package dev.chatwire.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The kernel's queues of TCP connections, from {@code /proc/net/tcp} and {@code /proc/net/tcp6} (Java's sockets are
 * IPv6 sockets unless told otherwise, so IPv4 loopback connections are listed there, as IPv4-mapped addresses): for a
 * client socket that stopped reading, the bytes waiting unread in its receive queue, and the bytes the server wrote
 * that wait in the server's send queue. Both full is the proof that the socket backed up into the server rather than
 * being drained by the client.
 */
final class TcpQueues {

    private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));

    /**
     * One connection's queues, in bytes.
     *
     * @param clientReceive bytes the client's kernel received and the client has not read
     * @param serverSend    bytes the server wrote that the client's kernel has not acknowledged
     */
    record Queues(long clientReceive, long serverSend) {
    }

    private TcpQueues() {
    }

    /** The queues of the connections from these client addresses to the server, as the kernel has them now. */
    static Map<InetSocketAddress, Queues> read(InetSocketAddress server, Collection<InetSocketAddress> clients) {
        StringBuilder tables = new StringBuilder();
        for (Path table : TABLES) {
            try {
                tables.append(Files.readString(table));
            } catch (NoSuchFileException e) {
                // A kernel without IPv6 has no tcp6 table.
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return parse(tables.toString(), ByteOrder.nativeOrder(), server, Set.copyOf(clients));
    }

    /**
     * Reads {@code /proc/net/tcp} or {@code tcp6} tables: each client's receive queue (from its own row) and the
     * server's send queue towards it (from the server's row). Clients without a row are left out.
     *
     * @param order the byte order of the host that wrote the tables: they print addresses as native 32-bit integers
     */
    static Map<InetSocketAddress, Queues> parse(String table, ByteOrder order, InetSocketAddress server,
                                                Set<InetSocketAddress> clients) {
        Map<InetSocketAddress, Long> receive = new HashMap<>();
        Map<InetSocketAddress, Long> send = new HashMap<>();
        String serverPort = String.format(":%04X ", server.getPort());
        for (String line : table.split("\n")) {
            if (!line.contains(serverPort)) {
                continue;
            }
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 5 || !fields[0].endsWith(":")) {
                continue;
            }
            InetSocketAddress local = address(fields[1], order);
            InetSocketAddress remote = address(fields[2], order);
            String[] queues = fields[4].split(":");
            if (remote.equals(server) && clients.contains(local)) {
                receive.put(local, Long.parseLong(queues[1], 16));
            } else if (local.equals(server) && clients.contains(remote)) {
                send.put(remote, Long.parseLong(queues[0], 16));
            }
        }
        Map<InetSocketAddress, Queues> result = new HashMap<>();
        for (InetSocketAddress client : clients) {
            if (receive.containsKey(client) || send.containsKey(client)) {
                result.put(client, new Queues(receive.getOrDefault(client, 0L), send.getOrDefault(client, 0L)));
            }
        }
        return result;
    }

    /**
     * An {@code address:port} field: the address one (IPv4) or four (IPv6) native-order integers, the port a number,
     * all in hexadecimal. An IPv4-mapped IPv6 address comes back as the IPv4 address.
     */
    private static InetSocketAddress address(String field, ByteOrder order) {
        int colon = field.indexOf(':');
        ByteBuffer bytes = ByteBuffer.allocate(colon / 2).order(order);
        for (int i = 0; i < colon; i += 8) {
            bytes.putInt(Integer.parseUnsignedInt(field.substring(i, i + 8), 16));
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(bytes.array()),
                    Integer.parseInt(field.substring(colon + 1), 16));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + field, e);
        }
    }
}
