package dev.chatwire.redis;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** One connection of one user, and its member in a node's connection set (see {@link PresenceScripts}). */
record ConnectionKey(String userId, String connectionId) {
    ConnectionKey {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(connectionId, "connectionId");
    }

    String member() {
        return userId.getBytes(StandardCharsets.UTF_8).length + ":" + userId + connectionId;
    }

    /** The connection a member names, or null if the member is malformed. */
    static ConnectionKey fromMember(String member) {
        int colon = member.indexOf(':');
        if (colon < 1) {
            return null;
        }
        byte[] rest = member.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
        int userLength;
        try {
            userLength = Integer.parseInt(member.substring(0, colon));
        } catch (NumberFormatException e) {
            return null;
        }
        if (userLength > rest.length) {
            return null;
        }
        return new ConnectionKey(new String(rest, 0, userLength, StandardCharsets.UTF_8),
                new String(rest, userLength, rest.length - userLength, StandardCharsets.UTF_8));
    }
}
