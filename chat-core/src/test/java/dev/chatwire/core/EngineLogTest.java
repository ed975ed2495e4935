package dev.chatwire.core;

import dev.chatwire.core.memory.InMemoryChatStore;
import dev.chatwire.core.memory.InMemoryMediaStore;
import dev.chatwire.core.memory.InMemoryMessageStore;
import dev.chatwire.core.memory.InMemoryPresenceRegistry;
import dev.chatwire.core.memory.InMemoryReadStateStore;
import dev.chatwire.core.memory.InMemoryRoomBroadcaster;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

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

    @Test
    void aConnectionLineCarriesTheSocketAndUserInTheMdcAndPutsBackTheHostsOwnValues() {
        Logger engineLog = (Logger) LoggerFactory.getLogger(ChatEngine.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        engineLog.addAppender(lines);
        Level before = engineLog.getLevel();
        engineLog.setLevel(Level.DEBUG);
        MDC.put(EngineLog.CONNECTION_ID, "the host's request");
        try {
            EngineLog.connection("c-17", "alice", "admitted");

            assertThat(lines.list).hasSize(1);
            assertThat(lines.list.get(0).getMDCPropertyMap())
                    .containsEntry(EngineLog.CONNECTION_ID, "c-17").containsEntry(EngineLog.USER_ID, "alice");
            assertThat(lines.list.get(0).getFormattedMessage()).isEqualTo("connection admitted");
            assertThat(MDC.get(EngineLog.CONNECTION_ID)).isEqualTo("the host's request");
            assertThat(MDC.get(EngineLog.USER_ID)).isNull();
        } finally {
            MDC.clear();
            engineLog.setLevel(before);
            engineLog.detachAppender(lines);
        }
    }
}
