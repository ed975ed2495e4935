package dev.chatwire.core;

import dev.chatwire.core.spi.ChatStore;
import dev.chatwire.core.spi.HealthCheck;
import dev.chatwire.core.spi.MediaStore;
import dev.chatwire.core.spi.MessageStore;
import dev.chatwire.core.spi.ReadStateStore;
import dev.chatwire.core.spi.PresenceRegistry;
import dev.chatwire.core.spi.RoomBroadcaster;
import dev.chatwire.core.spi.TokenVerifier;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** An engine's adapters as the host gave them, and their health. */
record Adapters(TokenVerifier tokens, MessageStore messages, ChatStore chats, ReadStateStore readStates,
                PresenceRegistry presence, RoomBroadcaster broadcaster, MediaStore media) {

    /** The builder's adapters, each required. */
    static Adapters of(ChatEngineBuilder builder) {
        return new Adapters(
                Objects.requireNonNull(builder.tokens(), "tokenVerifier"),
                Objects.requireNonNull(builder.messages(), "messageStore"),
                Objects.requireNonNull(builder.chats(), "chatStore"),
                Objects.requireNonNull(builder.readStates(), "readStateStore"),
                Objects.requireNonNull(builder.presence(), "presenceRegistry"),
                Objects.requireNonNull(builder.broadcaster(), "roomBroadcaster"),
                Objects.requireNonNull(builder.media(), "mediaStore"));
    }

    /** Each adapter that implements {@link HealthCheck}, by role, with a check that reads a throw as down. */
    Map<String, HealthCheck> checks() {
        Map<String, Object> byRole = new LinkedHashMap<>();
        byRole.put("tokenVerifier", tokens);
        byRole.put("messageStore", messages);
        byRole.put("chatStore", chats);
        byRole.put("readStateStore", readStates);
        byRole.put("mediaStore", media);
        byRole.put("presenceRegistry", presence);
        byRole.put("roomBroadcaster", broadcaster);
        Map<String, HealthCheck> checks = new LinkedHashMap<>();
        byRole.forEach((role, adapter) -> {
            if (adapter instanceof HealthCheck check) {
                checks.put(role, () -> checked(check));
            }
        });
        return checks;
    }

    private static HealthCheck.Health checked(HealthCheck check) {
        try {
            return check.checkHealth();
        } catch (RuntimeException e) {
            return HealthCheck.Health.down(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
