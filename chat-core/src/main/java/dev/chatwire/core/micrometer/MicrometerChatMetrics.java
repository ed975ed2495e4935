package dev.chatwire.core.micrometer;

import dev.chatwire.core.ChatMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The engine's {@link ChatMetrics} as Micrometer meters, named {@code chatwire.*}; docs/operations.md lists them.
 * Micrometer is an optional dependency of {@code chat-core}: only a host that creates this class needs it.
 *
 * <pre>{@code
 * ChatEngine engine = ChatEngine.builder()
 *         .metrics(new MicrometerChatMetrics(meterRegistry))
 *         ...
 *         .build();
 * }</pre>
 *
 * <p>Tags are low-cardinality only: a refusal reason, an SPI and its operation, and the common tags given here (a
 * node name, say), never a user, chat or connection id. One instance serves one engine; a registry that holds two
 * engines' meters needs different common tags for each. Thread-safe.
 */
public final class MicrometerChatMetrics implements ChatMetrics {

    private final MeterRegistry registry;
    /** The gauges {@link #bind} registered, for {@link #unbind}. */
    private final List<Meter> bound = new CopyOnWriteArrayList<>();
    private final Tags tags;
    private final Counter admitted;
    private final Map<Refusal, Counter> refused = new EnumMap<>(Refusal.class);
    private final Counter stored;
    private final Counter delivered;
    private final Timer deliveryLatency;
    private final Counter replays;
    private final Counter replayedMessages;
    private final Counter slowConsumers;
    private final Counter rateLimited;

    /** Meters without common tags in {@code registry}. */
    public MicrometerChatMetrics(MeterRegistry registry) {
        this(registry, Tags.empty());
    }

    /**
     * Meters in {@code registry}, each with {@code tags} besides its own.
     *
     * @param tags common tags, low-cardinality (a node or application name)
     */
    public MicrometerChatMetrics(MeterRegistry registry, Iterable<Tag> tags) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.tags = Tags.of(tags);
        this.admitted = counter("chatwire.connections.admitted", "sockets authenticated and told connected");
        for (Refusal reason : Refusal.values()) {
            refused.put(reason, Counter.builder("chatwire.connections.refused")
                    .description("sockets refused before admission, by reason")
                    .tags(this.tags).tag("reason", reason.name().toLowerCase(Locale.ROOT))
                    .register(registry));
        }
        this.stored = counter("chatwire.messages.stored", "messages stored");
        this.delivered = counter("chatwire.messages.delivered", "new_message frames written to sockets");
        this.deliveryLatency = Timer.builder("chatwire.messages.delivery")
                .description("time from a message being stored to its frame being written to a socket of the node "
                        + "that stored it")
                .tags(this.tags)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        this.replays = counter("chatwire.replays", "catch-ups of a connection on a chat from the store");
        this.replayedMessages = counter("chatwire.replays.messages", "messages read from the store for catch-ups");
        this.slowConsumers = counter("chatwire.connections.slow", "sockets closed as slow consumers");
        this.rateLimited = counter("chatwire.commands.rate.limited", "socket commands refused by the rate limit");
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }

    @Override
    public void bind(Gauges gauges) {
        bound.add(Gauge.builder("chatwire.connections", gauges, Gauges::connections)
                .description("sockets open on this node, authenticated or not")
                .tags(tags).strongReference(true).register(registry));
        bound.add(Gauge.builder("chatwire.outbound.queued", gauges, Gauges::outboundQueuedChars)
                .description("frames queued for sockets and not yet written, in characters as the queue bound "
                        + "counts them (bytes for ASCII)")
                .baseUnit(BaseUnits.BYTES)
                .tags(tags).strongReference(true).register(registry));
    }

    /** Removes the gauges from the registry: they would hold the closed engine and read it for good. */
    @Override
    public void unbind() {
        bound.forEach(registry::remove);
        bound.clear();
    }

    @Override
    public void admitted() {
        admitted.increment();
    }

    @Override
    public void refused(Refusal reason) {
        refused.get(reason).increment();
    }

    @Override
    public void stored() {
        stored.increment();
    }

    @Override
    public void delivered() {
        delivered.increment();
    }

    @Override
    public void deliveryLatency(Duration latency) {
        deliveryLatency.record(latency);
    }

    @Override
    public void replayStarted() {
        replays.increment();
    }

    @Override
    public void replayed(int messages) {
        replayedMessages.increment(messages);
    }

    @Override
    public void slowConsumerClosed() {
        slowConsumers.increment();
    }

    @Override
    public void rateLimited() {
        rateLimited.increment();
    }

    @Override
    public void adapterFailed(String spi, String operation) {
        // Registered on first failure: the registry keeps one counter per SPI and operation, a fixed small set.
        Counter.builder("chatwire.adapter.failures")
                .description("adapter calls that failed with UnavailableException, by SPI and operation")
                .tags(tags).tag("spi", spi).tag("operation", operation)
                .register(registry).increment();
    }
}
