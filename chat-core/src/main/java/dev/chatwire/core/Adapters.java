package dev.chatwire.core;

import dev.chatwire.core.spi.ChatStore;
import dev.chatwire.core.spi.HealthCheck;
import dev.chatwire.core.spi.MediaStore;
import dev.chatwire.core.spi.MessageStore;
import dev.chatwire.core.spi.PresenceRegistry;
import dev.chatwire.core.spi.RoomBroadcaster;
import dev.chatwire.core.spi.TokenVerifier;

import java.util.LinkedHashMap;
import java.util.Map;

/** An engine's adapters as the host gave them, and their health. */
record Adapters(TokenVerifier tokens, MessageStore messages, ChatStore chats, PresenceRegistry presence,
                RoomBroadcaster broadcaster, MediaStore media) {

    /** Checks each adapter that implements {@link HealthCheck}, by role; a check that throws reads as down. */
    Map<String, HealthCheck.Health> health() {
        Map<String, Object> byRole = new LinkedHashMap<>();
        byRole.put("tokenVerifier", tokens);
        byRole.put("messageStore", messages);
        byRole.put("chatStore", chats);
        byRole.put("mediaStore", media);
        byRole.put("presenceRegistry", presence);
        byRole.put("roomBroadcaster", broadcaster);
        Map<String, HealthCheck.Health> health = new LinkedHashMap<>();
        byRole.forEach((role, adapter) -> {
            if (adapter instanceof HealthCheck check) {
                health.put(role, checked(check));
            }
        });
        return health;
    }

    private static HealthCheck.Health checked(HealthCheck check) {
        try {
            return check.checkHealth();
        } catch (RuntimeException e) {
            return HealthCheck.Health.down(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
