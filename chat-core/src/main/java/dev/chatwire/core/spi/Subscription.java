package dev.chatwire.core.spi;

/** A registration that ends when closed. Closing twice is harmless. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

    /** Ends the registration; throws nothing checked and never blocks for long. */
    @Override
    void close();
}
