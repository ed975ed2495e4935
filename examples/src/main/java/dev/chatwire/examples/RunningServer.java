package dev.chatwire.examples;

/** An example server that is up: where it listens, and how to stop it. */
interface RunningServer {

    /** The port it listens on. */
    int port();

    /** The page's address. */
    default String url() {
        return "http://localhost:" + port() + "/";
    }

    /** Blocks until the server stops. */
    void join() throws InterruptedException;

    /** Closes every socket, stops the container and the engine. */
    void stop() throws Exception;
}
