package dev.chatwire.jakarta;

/** A container serving {@link ChatServlet} at {@code /api/*} and the endpoint, on a free port of 127.0.0.1. */
public interface TestServer {

    /** The port it listens on. */
    int port();

    /** Stops the container. */
    void stop() throws Exception;
}
