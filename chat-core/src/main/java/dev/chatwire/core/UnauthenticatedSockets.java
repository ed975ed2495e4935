package dev.chatwire.core;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Counts this node's sockets that have not authenticated yet, per peer address and in total, and refuses a new one
 * over either of {@link ChatLimits}' caps, so that one client cannot hold thousands of sockets that never send a
 * token. IPv4 addresses count one by one; IPv6 addresses by their /64 prefix, which one client usually holds whole.
 * A socket whose transport cannot tell its address counts in the total only.
 *
 * <p>Thread-safe: a count changes under this object's lock, held for a map update and never across I/O.
 */
final class UnauthenticatedSockets {

    /** Why a socket was refused a place. */
    enum Refusal {
        /** Its address holds {@link ChatLimits#maxUnauthenticatedPerAddress()} sockets already. */
        ADDRESS_FULL,
        /** The node holds {@link ChatLimits#maxUnauthenticated()} sockets already. */
        NODE_FULL
    }

    private final int perAddress;
    private final int total;
    private final Map<String, Integer> byAddress = new HashMap<>();
    private int count;

    UnauthenticatedSockets(int perAddress, int total) {
        this.perAddress = perAddress;
        this.total = total;
    }

    /** The key a peer address counts under: the address itself, or an IPv6 address's /64 prefix. */
    static Optional<String> addressKey(Optional<InetAddress> address) {
        return address.map(peer -> {
            if (peer instanceof Inet6Address) {
                byte[] bytes = peer.getAddress();
                return HexFormat.of().formatHex(bytes, 0, 8) + "::/64";
            }
            return peer.getHostAddress();
        });
    }

    /** Takes a place for a new socket from this address key; the refusal when over a cap, empty when taken. */
    synchronized Optional<Refusal> take(Optional<String> addressKey) {
        if (count >= total) {
            return Optional.of(Refusal.NODE_FULL);
        }
        if (addressKey.isPresent()) {
            int held = byAddress.getOrDefault(addressKey.get(), 0);
            if (held >= perAddress) {
                return Optional.of(Refusal.ADDRESS_FULL);
            }
            byAddress.put(addressKey.get(), held + 1);
        }
        count++;
        return Optional.empty();
    }

    /** Gives back a place taken for this address key; the caller makes sure it does so once per place. */
    synchronized void giveBack(Optional<String> addressKey) {
        count--;
        addressKey.ifPresent(key -> byAddress.computeIfPresent(key, (k, held) -> held == 1 ? null : held - 1));
    }
}
