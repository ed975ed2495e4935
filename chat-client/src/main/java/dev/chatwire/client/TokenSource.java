package dev.chatwire.client;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The application's token supplier with the last token it gave remembered, shared by the socket and the REST calls.
 * Thread-safe; never blocks: a blocking supplier was already moved off the caller's thread by the builder.
 */
final class TokenSource {

    private final Supplier<? extends CompletionStage<String>> supplier;
    private final Clock clock;
    private volatile String token;

    TokenSource(Supplier<? extends CompletionStage<String>> supplier, Clock clock) {
        this.supplier = supplier;
        this.clock = clock;
    }

    /** The remembered token while it has not expired, else a fresh one. */
    CompletableFuture<String> current() {
        String remembered = token;
        if (remembered != null && JwtExpiry.of(remembered).map(exp -> clock.instant().isBefore(exp)).orElse(true)) {
            return CompletableFuture.completedFuture(remembered);
        }
        return fresh();
    }

    /** A new token from the application's supplier, remembered for later calls. */
    CompletableFuture<String> fresh() {
        CompletionStage<String> stage;
        try {
            stage = supplier.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return stage.toCompletableFuture().thenApply(fresh -> {
            if (fresh == null || fresh.isBlank()) {
                throw new IllegalStateException("the token supplier returned no token");
            }
            token = fresh;
            return fresh;
        });
    }
}
