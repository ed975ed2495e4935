package dev.chatwire.core;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The limits the engine enforces. Start from {@link #defaults()} and change what the host needs:
 * {@code ChatLimits.defaults().toBuilder().maxTextChars(4000).build()}.
 *
 * @param maxFrameChars          the largest inbound socket frame, in characters (64 KiB)
 * @param maxTextChars           the longest message text (16,000)
 * @param maxQueueBytes          outbound bytes a connection may have waiting, estimated as characters, before it is
 *                               closed as a slow consumer (1 MiB)
 * @param maxQueueFrames         outbound frames a connection may have waiting before that (4,096)
 * @param connectTimeout         how long a socket may stay unauthenticated (10 s)
 * @param maxConnectionsPerUser  the most sockets one user may hold on one node (16)
 * @param commandsPerSecond      the sustained socket command rate per connection (20)
 * @param commandBurst           the command burst a connection may send at once (40)
 * @param maxUploadBytes         the largest attachment (25 MiB)
 * @param maxAttachments         the most files in one send (10)
 * @param maxParticipants        the most participants in one chat (10,000)
 * @param maxHistoryPage         the most messages one history request returns (100)
 * @param replayPageSize         messages read from the store per replay step (200)
 * @param maxPendingEvents       live events held per chat while a connection catches up, before it is closed (10,000)
 * @param allowedMediaTypes      sniffed media types accepted as attachments; an entry ending in {@code /} allows a
 *                               whole family ({@code image/})
 * @param refusedMediaTypes      media types refused even inside an allowed family ({@code image/svg+xml}, which can
 *                               carry scripts)
 * @param userIdPattern          a regular expression every user id must match as a whole, on top of the fixed rules
 *                               (1 to 128 characters, no control or format character, well-formed); {@code .+} by
 *                               default, which adds only that line separators are refused too
 * @param restSendRate           each user's REST sends without files, on one node (20 per second, bursts of 200)
 * @param chatCreationRate       each user's chat creations over REST, on one node (2 per second, bursts of 30)
 * @param uploadRate             each user's multipart sends over REST, on one node (1 per second, bursts of 20)
 * @param maxReactionsPerMessage the most distinct emoji one message may carry (20); under concurrent reactions by
 *                               several users it may be passed by as many as react at once
 * @param maxUnauthenticatedPerAddress the most sockets one peer address (an IPv6 address's /64) may hold on one node
 *                               before they authenticate (64); one more is closed at once with 1013
 * @param maxUnauthenticated     the most sockets one node holds before they authenticate, from all addresses
 *                               (10,000); one more is closed at once with 1013
 * @param maxStoredBytesPerUser  the most attachment bytes one user may have stored, as the media store counts them;
 *                               an upload that would pass it is refused with {@code too_large} before its bytes are
 *                               stored. Unlimited ({@link Long#MAX_VALUE}) by default: a quota is the host's policy,
 *                               and without one the store is not asked. Uploads of one user running at once are
 *                               checked again once stored, and one that finds the total over the quota is refused
 *                               and its files deleted (both may be, when they cross)
 */
public record ChatLimits(int maxFrameChars, int maxTextChars, long maxQueueBytes, int maxQueueFrames,
                         Duration connectTimeout, int maxConnectionsPerUser, double commandsPerSecond,
                         int commandBurst, long maxUploadBytes, int maxAttachments, int maxParticipants,
                         int maxHistoryPage, int replayPageSize, int maxPendingEvents,
                         Set<String> allowedMediaTypes, Set<String> refusedMediaTypes, String userIdPattern,
                         RateLimit restSendRate, RateLimit chatCreationRate, RateLimit uploadRate,
                         int maxReactionsPerMessage, int maxUnauthenticatedPerAddress, int maxUnauthenticated,
                         long maxStoredBytesPerUser) {

    /** Validates every limit. */
    public ChatLimits {
        positive(maxFrameChars, "maxFrameChars");
        positive(maxTextChars, "maxTextChars");
        positive(maxQueueBytes, "maxQueueBytes");
        positive(maxQueueFrames, "maxQueueFrames");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        positive(maxConnectionsPerUser, "maxConnectionsPerUser");
        if (!(commandsPerSecond > 0)) {
            throw new IllegalArgumentException("commandsPerSecond must be positive");
        }
        positive(commandBurst, "commandBurst");
        positive(maxUploadBytes, "maxUploadBytes");
        positive(maxAttachments, "maxAttachments");
        positive(maxParticipants, "maxParticipants");
        positive(maxHistoryPage, "maxHistoryPage");
        positive(replayPageSize, "replayPageSize");
        positive(maxPendingEvents, "maxPendingEvents");
        allowedMediaTypes = Set.copyOf(allowedMediaTypes);
        refusedMediaTypes = Set.copyOf(refusedMediaTypes);
        // Compiled here only to fail at configuration time; the engine compiles its own copy once.
        Pattern.compile(Objects.requireNonNull(userIdPattern, "userIdPattern"));
        Objects.requireNonNull(restSendRate, "restSendRate");
        Objects.requireNonNull(chatCreationRate, "chatCreationRate");
        Objects.requireNonNull(uploadRate, "uploadRate");
        positive(maxReactionsPerMessage, "maxReactionsPerMessage");
        positive(maxUnauthenticatedPerAddress, "maxUnauthenticatedPerAddress");
        positive(maxUnauthenticated, "maxUnauthenticated");
        positive(maxStoredBytesPerUser, "maxStoredBytesPerUser");
    }

    private static void positive(long value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be 1 or more, was " + value);
        }
    }

    /** The defaults listed on each component. */
    public static ChatLimits defaults() {
        return new ChatLimits(64 * 1024, 16_000, 1024 * 1024, 4096, Duration.ofSeconds(10), 16, 20, 40,
                25L * 1024 * 1024, 10, 10_000, 100, 200, 10_000,
                Set.of("image/", "video/", "audio/", "application/pdf", "text/plain", "application/zip"),
                Set.of("image/svg+xml"), ".+", RateLimit.of(20, 200), RateLimit.of(2, 30), RateLimit.of(1, 20),
                20, 64, 10_000, Long.MAX_VALUE);
    }

    /** Whether an attachment of this sniffed media type is accepted. */
    public boolean allowsMediaType(String mimeType) {
        if (refusedMediaTypes.contains(mimeType)) {
            return false;
        }
        return allowedMediaTypes.stream().anyMatch(allowed ->
                allowed.endsWith("/") ? mimeType.startsWith(allowed) : mimeType.equals(allowed));
    }

    /** A builder holding these limits. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes some limits of a {@link ChatLimits}. */
    public static final class Builder {
        private int maxFrameChars;
        private int maxTextChars;
        private long maxQueueBytes;
        private int maxQueueFrames;
        private Duration connectTimeout;
        private int maxConnectionsPerUser;
        private double commandsPerSecond;
        private int commandBurst;
        private long maxUploadBytes;
        private int maxAttachments;
        private int maxParticipants;
        private int maxHistoryPage;
        private int replayPageSize;
        private int maxPendingEvents;
        private Set<String> allowedMediaTypes;
        private Set<String> refusedMediaTypes;
        private String userIdPattern;
        private RateLimit restSendRate;
        private RateLimit chatCreationRate;
        private int maxReactionsPerMessage;
        private RateLimit uploadRate;
        private int maxUnauthenticatedPerAddress;
        private int maxUnauthenticated;
        private long maxStoredBytesPerUser;

        private Builder(ChatLimits from) {
            maxFrameChars = from.maxFrameChars;
            maxTextChars = from.maxTextChars;
            maxQueueBytes = from.maxQueueBytes;
            maxQueueFrames = from.maxQueueFrames;
            connectTimeout = from.connectTimeout;
            maxConnectionsPerUser = from.maxConnectionsPerUser;
            commandsPerSecond = from.commandsPerSecond;
            commandBurst = from.commandBurst;
            maxUploadBytes = from.maxUploadBytes;
            maxAttachments = from.maxAttachments;
            maxParticipants = from.maxParticipants;
            maxHistoryPage = from.maxHistoryPage;
            replayPageSize = from.replayPageSize;
            maxPendingEvents = from.maxPendingEvents;
            allowedMediaTypes = from.allowedMediaTypes;
            refusedMediaTypes = from.refusedMediaTypes;
            userIdPattern = from.userIdPattern;
            restSendRate = from.restSendRate;
            chatCreationRate = from.chatCreationRate;
            uploadRate = from.uploadRate;
            maxReactionsPerMessage = from.maxReactionsPerMessage;
            maxUnauthenticatedPerAddress = from.maxUnauthenticatedPerAddress;
            maxUnauthenticated = from.maxUnauthenticated;
            maxStoredBytesPerUser = from.maxStoredBytesPerUser;
        }

        /** See {@link ChatLimits#maxFrameChars()}. */
        public Builder maxFrameChars(int value) {
            maxFrameChars = value;
            return this;
        }

        /** See {@link ChatLimits#maxTextChars()}. */
        public Builder maxTextChars(int value) {
            maxTextChars = value;
            return this;
        }

        /** See {@link ChatLimits#maxQueueBytes()}. */
        public Builder maxQueueBytes(long value) {
            maxQueueBytes = value;
            return this;
        }

        /** See {@link ChatLimits#maxQueueFrames()}. */
        public Builder maxQueueFrames(int value) {
            maxQueueFrames = value;
            return this;
        }

        /** See {@link ChatLimits#connectTimeout()}. */
        public Builder connectTimeout(Duration value) {
            connectTimeout = value;
            return this;
        }

        /** See {@link ChatLimits#maxConnectionsPerUser()}. */
        public Builder maxConnectionsPerUser(int value) {
            maxConnectionsPerUser = value;
            return this;
        }

        /** See {@link ChatLimits#commandsPerSecond()} and {@link ChatLimits#commandBurst()}. */
        public Builder commandRate(double perSecond, int burst) {
            commandsPerSecond = perSecond;
            commandBurst = burst;
            return this;
        }

        /** See {@link ChatLimits#maxUploadBytes()}. */
        public Builder maxUploadBytes(long value) {
            maxUploadBytes = value;
            return this;
        }

        /** See {@link ChatLimits#maxAttachments()}. */
        public Builder maxAttachments(int value) {
            maxAttachments = value;
            return this;
        }

        /** See {@link ChatLimits#maxParticipants()}. */
        public Builder maxParticipants(int value) {
            maxParticipants = value;
            return this;
        }

        /** See {@link ChatLimits#maxHistoryPage()}. */
        public Builder maxHistoryPage(int value) {
            maxHistoryPage = value;
            return this;
        }

        /** See {@link ChatLimits#replayPageSize()}. */
        public Builder replayPageSize(int value) {
            replayPageSize = value;
            return this;
        }

        /** See {@link ChatLimits#maxPendingEvents()}. */
        public Builder maxPendingEvents(int value) {
            maxPendingEvents = value;
            return this;
        }

        /** See {@link ChatLimits#allowedMediaTypes()}. */
        public Builder allowedMediaTypes(Set<String> value) {
            allowedMediaTypes = value;
            return this;
        }

        /** See {@link ChatLimits#refusedMediaTypes()}. */
        public Builder refusedMediaTypes(Set<String> value) {
            refusedMediaTypes = value;
            return this;
        }

        /** See {@link ChatLimits#userIdPattern()}; for example {@code [a-z0-9_.-]{3,32}}. */
        public Builder userIdPattern(String value) {
            userIdPattern = value;
            return this;
        }

        /** See {@link ChatLimits#restSendRate()}. */
        public Builder restSendRate(RateLimit value) {
            restSendRate = value;
            return this;
        }

        /** See {@link ChatLimits#chatCreationRate()}. */
        public Builder chatCreationRate(RateLimit value) {
            chatCreationRate = value;
            return this;
        }

        /** See {@link ChatLimits#uploadRate()}. */
        public Builder uploadRate(RateLimit value) {
            uploadRate = value;
            return this;
        }

        /** See {@link ChatLimits#maxReactionsPerMessage()}. */
        public Builder maxReactionsPerMessage(int value) {
            maxReactionsPerMessage = value;
            return this;
        }

        /** See {@link ChatLimits#maxUnauthenticatedPerAddress()}. */
        public Builder maxUnauthenticatedPerAddress(int value) {
            maxUnauthenticatedPerAddress = value;
            return this;
        }

        /** See {@link ChatLimits#maxUnauthenticated()}. */
        public Builder maxUnauthenticated(int value) {
            maxUnauthenticated = value;
            return this;
        }

        /** See {@link ChatLimits#maxStoredBytesPerUser()}; {@link Long#MAX_VALUE} for no quota. */
        public Builder maxStoredBytesPerUser(long value) {
            maxStoredBytesPerUser = value;
            return this;
        }

        /** Lifts the per-user REST rates: sends, chat creations and uploads (a load test posting as one user). */
        public Builder unlimitedRestRates() {
            return restSendRate(RateLimit.unlimited()).chatCreationRate(RateLimit.unlimited())
                    .uploadRate(RateLimit.unlimited());
        }

        /** Builds the limits. */
        public ChatLimits build() {
            return new ChatLimits(maxFrameChars, maxTextChars, maxQueueBytes, maxQueueFrames, connectTimeout,
                    maxConnectionsPerUser, commandsPerSecond, commandBurst, maxUploadBytes, maxAttachments,
                    maxParticipants, maxHistoryPage, replayPageSize, maxPendingEvents, allowedMediaTypes,
                    refusedMediaTypes, userIdPattern, restSendRate, chatCreationRate, uploadRate,
                    maxReactionsPerMessage, maxUnauthenticatedPerAddress, maxUnauthenticated, maxStoredBytesPerUser);
        }
    }
}
