package dev.chatwire.core;

import dev.chatwire.core.protocol.ProtocolCodec;
import dev.chatwire.core.spi.ChatStore;
import dev.chatwire.core.spi.MediaStore;
import dev.chatwire.core.spi.ChatPolicy;
import dev.chatwire.core.spi.MessageStore;
import dev.chatwire.core.spi.ReadStateStore;
import dev.chatwire.core.spi.TimelineListener;
import dev.chatwire.core.spi.PresenceRegistry;
import dev.chatwire.core.spi.RoomBroadcaster;
import dev.chatwire.core.spi.TokenVerifier;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every part of an engine shares: the host's adapters, the limits, the codec and the threads. The parts are
 * the façade ({@link ChatEngine}), requests ({@link ChatRequests}, {@link Uploads}), the timeline
 * ({@link TimelinePublisher}), sockets ({@link SocketRegistry}), membership ({@link MembershipSync}), presence
 * ({@link PresenceAnnouncer}) and replays ({@link Replays}). The adapters may be wrapped to count their failures
 * ({@link AdapterFailures}).
 */
record EngineParts(TokenVerifier tokens, MessageStore messages, ChatStore chats, ReadStateStore readStates,
                   PresenceRegistry presence, RoomBroadcaster broadcaster, MediaStore media, ChatPolicy policy,
                   TimelineListener listener, ChatLimits limits, Clock clock, ProtocolCodec codec,
                   ScheduledExecutorService timers, Executor work, Retries retries, EngineMetrics metrics) {

    /** The parts of an engine built by {@code builder}, each adapter wrapped to count its failures. */
    static EngineParts counted(Adapters adapters, ChatEngineBuilder builder, ScheduledExecutorService timers,
                               Executor work) {
        ChatMetrics metrics = builder.metrics();
        return new EngineParts(
                AdapterFailures.counted(TokenVerifier.class, adapters.tokens(), metrics),
                AdapterFailures.counted(MessageStore.class, adapters.messages(), metrics),
                AdapterFailures.counted(ChatStore.class, adapters.chats(), metrics),
                AdapterFailures.counted(ReadStateStore.class, adapters.readStates(), metrics),
                AdapterFailures.counted(PresenceRegistry.class, adapters.presence(), metrics),
                AdapterFailures.counted(RoomBroadcaster.class, adapters.broadcaster(), metrics),
                AdapterFailures.counted(MediaStore.class, adapters.media(), metrics),
                builder.policy(), builder.listener(), builder.limits(), builder.clock(), new ProtocolCodec(), timers,
                work, new Retries(timers, work), new EngineMetrics(metrics, builder.clock()));
    }

    /** The time for timestamps, to the millisecond that stores keep. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
