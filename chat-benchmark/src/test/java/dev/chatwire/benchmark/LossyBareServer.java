package dev.chatwire.benchmark;

import java.util.concurrent.atomic.AtomicLong;

/** A bare server that loses every 97th delivery and sends every 89th twice: the benchmark must notice both. */
public final class LossyBareServer {

    private LossyBareServer() {
    }

    /** Starts the faulty server and waits until it is stopped. */
    public static void main(String[] args) throws Exception {
        BareServer.start(System.getenv(), new BareRooms() {
            private final AtomicLong deliveries = new AtomicLong();

            @Override
            boolean deliver(BareSocket socket, String frame) {
                long n = deliveries.incrementAndGet();
                if (n % 97 == 0) {
                    return false;
                }
                boolean mustFlush = super.deliver(socket, frame);
                if (n % 89 == 0) {
                    // The copy joins the queue the first one opened.
                    super.deliver(socket, frame);
                }
                return mustFlush;
            }
        }).join();
    }
}
