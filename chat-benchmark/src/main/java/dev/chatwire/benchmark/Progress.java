package dev.chatwire.benchmark;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Logs a progress line every two seconds while a phase runs, and once more when it ends. */
final class Progress implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("progress");

    private final String label;
    private final Supplier<String> status;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "progress");
        thread.setDaemon(true);
        return thread;
    });

    private Progress(String label, Supplier<String> status) {
        this.label = label;
        this.status = status;
    }

    /** Starts logging {@code label: status} until closed. */
    static Progress of(String label, Supplier<String> status) {
        Progress progress = new Progress(label, status);
        progress.ticker.scheduleAtFixedRate(progress::print, 2, 2, TimeUnit.SECONDS);
        return progress;
    }

    /** Logs one line now. */
    static void say(String label, String status) {
        log.info("{}: {}", label, status);
    }

    private void print() {
        say(label, status.get());
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        print();
    }
}
