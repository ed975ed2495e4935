package dev.chatwire.core;

import org.junit.jupiter.api.Test;
import org.slf4j.helpers.NOPLogger;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class RefusalLogTest {

    @Test
    void aRefusalIsLoggedAtInfoAtMostOncePerIntervalAndTheRestAtDebug() {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        MutableClock now = new MutableClock(start);
        RefusalLog refusals = new RefusalLog(NOPLogger.NOP_LOGGER, now);
        AtomicInteger atDebug = new AtomicInteger();

        assertThat(refusals.refused("origin 'https://evil.example' refused", atDebug::incrementAndGet)).isTrue();
        assertThat(refusals.refused("origin 'https://evil.example' refused", atDebug::incrementAndGet)).isFalse();
        now.set(start.plus(RefusalLog.INTERVAL).minus(Duration.ofMillis(1)));
        assertThat(refusals.refused("again", atDebug::incrementAndGet)).isFalse();
        now.set(start.plus(RefusalLog.INTERVAL));
        assertThat(refusals.refused("again", atDebug::incrementAndGet)).isTrue();

        assertThat(atDebug).hasValue(2);
    }

    @Test
    void aRefusedOriginIsRefusedWhateverItLooksLike() {
        SocketSettings settings = SocketSettings.builder().allowedOrigins("https://chat.example.com").build();

        assertThat(settings.allowsOrigin("https://chat.example.com")).isTrue();
        assertThat(settings.allowsOrigin("https://evil.example\r\nINFO forged line" + "x".repeat(500))).isFalse();
        assertThat(settings.allowsOrigin("null")).isFalse();
    }
}
