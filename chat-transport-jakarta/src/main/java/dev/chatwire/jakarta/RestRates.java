package dev.chatwire.jakarta;

import dev.chatwire.core.ChatLimits;
import dev.chatwire.core.UserRateLimiter;

import java.time.Clock;

/**
 * The per-user REST rates of {@link ChatLimits}, each a token bucket per user: sends without files, chat creations
 * and multipart sends. The socket's commands have their own limit, per connection, in the engine.
 */
final class RestRates {

    final UserRateLimiter sends;
    final UserRateLimiter chatCreations;
    final UserRateLimiter uploads;

    RestRates(ChatLimits limits, Clock clock) {
        this.sends = new UserRateLimiter(limits.restSendRate(), clock, "sends");
        this.chatCreations = new UserRateLimiter(limits.chatCreationRate(), clock, "chat creations");
        this.uploads = new UserRateLimiter(limits.uploadRate(), clock, "uploads");
    }
}
