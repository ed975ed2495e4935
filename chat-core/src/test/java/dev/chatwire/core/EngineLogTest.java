package dev.chatwire.core;

import dev.chatwire.core.memory.InMemoryChatStore;
import dev.chatwire.core.memory.InMemoryMediaStore;
import dev.chatwire.core.memory.InMemoryMessageStore;
import dev.chatwire.core.memory.InMemoryPresenceRegistry;
import dev.chatwire.core.memory.InMemoryReadStateStore;
import dev.chatwire.core.memory.InMemoryRoomBroadcaster;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class EngineLogTest {

    private final Adapters adapters = new Adapters(EngineFixture.TEST_TOKENS, new InMemoryMessageStore(),
            new InMemoryChatStore(), new InMemoryReadStateStore(), new InMemoryPresenceRegistry(),
            new InMemoryRoomBroadcaster(), new InMemoryMediaStore());

    @Test
    void theStartLineNamesTheAdaptersAndOnlyTheLimitsThatDifferFromTheDefaults() {
        ChatLimits limits = ChatLimits.defaults().toBuilder().maxTextChars(500).maxConnectionsPerUser(3).build();

        String line = EngineLog.startLine(adapters, limits);

        assertThat(line).contains("messageStore=InMemoryMessageStore", "roomBroadcaster=InMemoryRoomBroadcaster",
                "maxTextChars=500 (default 16000)", "maxConnectionsPerUser=3 (default 16)");
        assertThat(line).doesNotContain("maxFrameChars", "replayPageSize");
        assertThat(EngineLog.startLine(adapters, ChatLimits.defaults())).endsWith("; default limits");
    }

    @Test
    void refusedTokensAreLoggedAtInfoAtMostOncePerInterval() {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        MutableClock now = new MutableClock(start);
        EngineLog log = new EngineLog(now);

        assertThat(log.tokenRefused("c1", "expired")).isTrue();
        assertThat(log.tokenRefused("c2", "expired")).isFalse();
        now.set(start.plus(EngineLog.REFUSAL_INTERVAL).minus(Duration.ofMillis(1)));
        assertThat(log.tokenRefused("c3", "bad signature")).isFalse();
        now.set(start.plus(EngineLog.REFUSAL_INTERVAL));
        assertThat(log.tokenRefused("c4", "bad signature")).isTrue();
    }
}
