package dev.chatwire.jakarta;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads a small request body without holding a thread while it arrives: the request goes asynchronous, a
 * {@link ReadListener} takes what the container has whenever it has some, and a deadline ends a body that has not
 * all come within {@link #timeout()}, however steadily it trickles. The container's threads are busy only while bytes
 * are there to read, so clients sending slowly cost the server a connection each, not a thread each.
 *
 * <p>Each read ends exactly once, in one of the {@link Ending}s, and its {@link Then} runs then, on a container
 * thread; the request's asynchronous cycle completes after it. The servlet must be registered with
 * {@code asyncSupported}. Thread-safe.
 *
 * <p>{@link ChatServlet} reads its JSON bodies so; a host's own servlet may too ({@link #create}), and
 * {@linkplain #close() closes} the reader when the servlet is destroyed.
 */
public final class AsyncBodyReader implements AutoCloseable {

    /** How a body's read ended. */
    public enum Ending {
        /** The whole body came, within the bound and the deadline. */
        COMPLETE,
        /** It went on past the bound; the rest is left unread. */
        TOO_LONG,
        /** The deadline passed first; the rest is left unread. */
        TIMED_OUT,
        /** The connection failed: the client went away. */
        BROKEN
    }

    /** What to do once a body's read has ended; the response is still open and completes after it. */
    @FunctionalInterface
    public interface Then {
        /**
         * Answers the request.
         *
         * @param ending how the read ended
         * @param body   the bytes read, when they were kept and the ending is {@link Ending#COMPLETE}; else empty
         */
        void run(Ending ending, byte[] body) throws IOException;
    }

    private static final byte[] NOTHING = new byte[0];

    private final ScheduledExecutorService deadlines;
    private final Duration timeout;

    /**
     * @param deadlines runs only the deadlines' checks, never I/O: a passed deadline's answer is written on a
     *                  container thread
     * @param timeout   how long a whole body may take, from the start of its read
     */
    private AsyncBodyReader(ScheduledExecutorService deadlines, Duration timeout) {
        this.deadlines = deadlines;
        this.timeout = timeout;
    }

    /**
     * A reader whose reads end {@link Ending#TIMED_OUT} when a body has not all come within {@code timeout}. It owns
     * one daemon thread, which only watches the deadlines; {@link #close()} stops it.
     *
     * @param timeout how long a whole body may take, from the start of its read; positive
     */
    public static AsyncBodyReader create(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        ScheduledThreadPoolExecutor deadlines = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "chatwire-body-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        // Nearly every body arrives in time: its cancelled deadline should not wait in the queue for the full timeout.
        deadlines.setRemoveOnCancelPolicy(true);
        return new AsyncBodyReader(deadlines, timeout);
    }

    /** Stops the deadlines' thread; reads still open are left to the container, which ends its requests itself. */
    @Override
    public void close() {
        deadlines.shutdownNow();
    }

    /** How long a whole body may take. */
    Duration timeout() {
        return timeout;
    }

    /**
     * Puts the request in asynchronous mode and reads its body, then runs {@code then}. The caller returns from the
     * servlet's {@code service} straight after, leaving the response to {@code then}.
     *
     * @param maxBytes the most bytes read before the read ends {@link Ending#TOO_LONG}
     * @param keep     whether to keep the bytes for {@code then}, or only count them (a body read to be discarded)
     * @throws IOException when the request's stream cannot be had
     */
    public void read(HttpServletRequest request, long maxBytes, boolean keep, Then then) throws IOException {
        AsyncContext async = request.startAsync();
        // The deadline below bounds the read; what the route does after it is bounded by the engine's stores, as it
        // would be on a request thread. The container's own async timeout would only answer 500 in its place.
        async.setTimeout(0);
        ServletInputStream in = request.getInputStream();
        Read read = new Read(async, in, maxBytes, keep, then);
        read.deadline = schedule(read);
        try {
            in.setReadListener(read);
        } catch (RuntimeException e) {
            // No read will end it: the failure is answered by whoever catches it, and the deadline must not answer a
            // second time.
            if (read.deadline != null) {
                read.deadline.cancel(false);
            }
            throw e;
        }
    }

    private ScheduledFuture<?> schedule(Read read) {
        try {
            return deadlines.schedule(read::timedOut, timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // The servlet is being destroyed: the container ends its requests itself.
            return null;
        }
    }

    /** One body's read: the listener, and the one-time ending that the listener and the deadline race for. */
    private static final class Read implements ReadListener {

        private final AsyncContext async;
        private final ServletInputStream in;
        private final long maxBytes;
        private final ByteArrayOutputStream kept;
        private final Then then;
        private final AtomicBoolean ended = new AtomicBoolean();
        private final byte[] buffer = new byte[8192];
        private long count;
        private volatile ScheduledFuture<?> deadline;

        Read(AsyncContext async, ServletInputStream in, long maxBytes, boolean keep, Then then) {
            this.async = async;
            this.in = in;
            this.maxBytes = maxBytes;
            this.kept = keep ? new ByteArrayOutputStream() : null;
            this.then = then;
        }

        @Override
        public void onDataAvailable() throws IOException {
            while (!ended.get() && in.isReady()) {
                int n = in.read(buffer);
                if (n < 0) {
                    return;
                }
                count += n;
                if (count > maxBytes) {
                    end(Ending.TOO_LONG);
                    return;
                }
                if (kept != null) {
                    kept.write(buffer, 0, n);
                }
            }
        }

        @Override
        public void onAllDataRead() throws IOException {
            end(Ending.COMPLETE);
        }

        @Override
        public void onError(Throwable failure) {
            try {
                end(Ending.BROKEN);
            } catch (IOException e) {
                // The client is gone: there is no one to tell.
            }
        }

        /** Runs on the deadlines' thread, which does no I/O: the answer is written on a container thread. */
        void timedOut() {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            try {
                async.start(() -> {
                    try {
                        answer(Ending.TIMED_OUT);
                    } catch (IOException e) {
                        // The client is gone: there is no one to tell.
                    }
                });
            } catch (IllegalStateException e) {
                // The request ended meanwhile (the container closed the connection): nothing is left to answer.
            }
        }

        private void end(Ending ending) throws IOException {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            ScheduledFuture<?> pending = deadline;
            if (pending != null) {
                pending.cancel(false);
            }
            answer(ending);
        }

        private void answer(Ending ending) throws IOException {
            try {
                then.run(ending, ending == Ending.COMPLETE && kept != null ? kept.toByteArray() : NOTHING);
            } finally {
                try {
                    async.complete();
                } catch (IllegalStateException e) {
                    // Completed already by the container, after a failed connection.
                }
            }
        }
    }
}
