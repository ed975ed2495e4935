package dev.chatwire.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;

/** Everything a {@link ChatClient.Builder} collected, fixed when the client is built. */
record Settings(URI socketUri, URI apiUri, HttpClient http, ScheduledExecutorService scheduler, boolean ownsScheduler,
                ResumeStorage storage, RandomGenerator random, Clock clock, Duration initialBackoff,
                Duration maxBackoff, Duration pingInterval, Duration connectTimeout, int maxFrameBytes,
                Duration typingInterval, Duration tokenRefreshLead) {
}
