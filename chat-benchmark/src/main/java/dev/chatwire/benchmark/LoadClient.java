package dev.chatwire.benchmark;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.client.CoreClientUpgradeRequest;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The load generator's side of the wire for one server, or for the nodes of one deployment (socket {@code i} goes to
 * node {@code i % nodes}; a user's REST calls go to its socket's node, as through a load balancer's sticky session, or
 * to the nodes in turn before it has one): WebSockets on Jetty's core client, and a pooled Jetty {@link HttpClient} for
 * the REST calls. Sockets are not bound to a local address, so the kernel gives each server port its own range of about
 * 28,000 ephemeral ports; no run opens more than 25,000 sockets to one server. Tokens are HS256 JWTs signed with the
 * secret the server was given. Sockets meant to stop reading connect through a client of their own, with a small kernel
 * receive buffer ({@link #SMALL_RECEIVE_BUFFER}). Sockets it keeps send a heartbeat every 20 s, as non-browser clients
 * may: without them a socket that only receives is idle in the servers' eyes.
 */
final class LoadClient implements AutoCloseable {

    private static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(20);
    /** Sockets outlive every timeout of a run; the servers' own idle timeouts are kept away by heartbeats. */
    private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(30);
    /**
     * A pooled REST connection is closed after this long unused, before the servers' 30 s idle timeout: a call sent
     * on a connection the server is closing fails with an EOF (an admission storm on three nodes left the pool idle
     * that long, and a post failed so).
     */
    private static final Duration REST_IDLE_TIMEOUT = Duration.ofSeconds(10);
    /**
     * {@code SO_RCVBUF} of the sockets that will stop reading, set before they connect so that the TCP window stays
     * this small (the kernel doubles it for its bookkeeping): they fill it within a few frames and back the server's
     * writes up at once, rather than after the megabytes a default buffer grows to on loopback.
     */
    static final int SMALL_RECEIVE_BUFFER = 4096;

    private final List<Integer> ports;
    private final AtomicInteger nextNode = new AtomicInteger();
    private final Map<String, Integer> homeNodes = new ConcurrentHashMap<>();
    private final Algorithm signer;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final QueuedThreadPool executor = new QueuedThreadPool(64, 8);
    private final ScheduledExecutorScheduler scheduler = new ScheduledExecutorScheduler("load-scheduler", true);
    private final WebSocketCoreClient socketClient;
    private final WebSocketCoreClient smallBufferClient;
    private final HttpClient rest = new HttpClient();
    private final Configuration.ConfigurationCustomizer socketConfig = new Configuration.ConfigurationCustomizer();
    private final Set<ClientSocket> kept = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "load-keepalive");
        thread.setDaemon(true);
        return thread;
    });

    /** A client for the nodes on {@code 127.0.0.1:ports}, with at most {@code restConnections} REST calls in flight. */
    LoadClient(List<Integer> ports, String secret, int restConnections) throws Exception {
        this.ports = List.copyOf(ports);
        this.signer = Algorithm.HMAC256(secret.getBytes(StandardCharsets.UTF_8));
        executor.setName("load-client");
        executor.setDaemon(true);
        executor.start();
        scheduler.start();
        socketConfig.setIdleTimeout(IDLE_TIMEOUT);
        socketClient = webSocketClient(new ClientConnector());
        ClientConnector smallBuffers = new ClientConnector();
        smallBuffers.setReceiveBufferSize(SMALL_RECEIVE_BUFFER);
        smallBufferClient = webSocketClient(smallBuffers);
        configure(rest, restConnections).setIdleTimeout(REST_IDLE_TIMEOUT.toMillis());
        rest.start();
        pinger.scheduleAtFixedRate(() -> kept.forEach(ClientSocket::heartbeat), HEARTBEAT_EVERY.toMillis(),
                HEARTBEAT_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private WebSocketCoreClient webSocketClient(ClientConnector connector) throws Exception {
        WebSocketCoreClient client = new WebSocketCoreClient(configure(new HttpClient(
                new HttpClientTransportOverHTTP(connector)), 256), null);
        client.start();
        return client;
    }

    private HttpClient configure(HttpClient client, int connections) {
        client.setExecutor(executor);
        client.setScheduler(scheduler);
        client.setMaxConnectionsPerDestination(connections);
        client.setMaxRequestsQueuedPerDestination(1_000_000);
        client.setConnectTimeout(Duration.ofSeconds(60).toMillis());
        client.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        client.setFollowRedirects(false);
        return client;
    }

    /** A token for {@code userId}, valid for two hours; minted once per user and client. */
    String token(String userId) {
        return tokens.computeIfAbsent(userId, user ->
                JWT.create().withSubject(user).withExpiresAt(Instant.now().plus(Duration.ofHours(2))).sign(signer));
    }

    /**
     * Opens a socket as {@code userId} and authenticates it.
     *
     * @param keep    whether it sends heartbeats until {@link #closeAll} closes it
     * @param resume  the {@code resume} object of the {@code connect} frame (chat id to last seq seen), or null
     * @param timeout how long the socket may take to be {@code connected}
     */
    CompletableFuture<ClientSocket> open(int index, String userId, ClientSocket.Listener listener,
                                         boolean smallBuffer, boolean keep, String resume, Duration timeout) {
        ClientSocket socket = new ClientSocket(index, token(userId), resume, listener);
        int node = index % ports.size();
        homeNodes.put(userId, node);
        WebSocketCoreClient client = smallBuffer ? smallBufferClient : socketClient;
        try {
            CoreClientUpgradeRequest request = CoreClientUpgradeRequest.from(client,
                    URI.create("ws://127.0.0.1:" + ports.get(node) + "/ws"), socket);
            request.setConfiguration(socketConfig);
            client.connect(request).exceptionally(failure -> {
                socket.connected().completeExceptionally(failure);
                return null;
            });
        } catch (IOException | RuntimeException e) {
            socket.connected().completeExceptionally(e);
        }
        return socket.connected().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).thenApply(frame -> {
            if (keep) {
                kept.add(socket);
            }
            return socket;
        });
    }

    /**
     * Closes the sockets and waits until they are closed, so that their file descriptors are free before the next run.
     *
     * @return how many did not close in time
     */
    int closeAll(Collection<ClientSocket> sockets, Duration timeout) {
        kept.removeAll(sockets);
        sockets.forEach(ClientSocket::close);
        long deadline = System.nanoTime() + timeout.toNanos();
        int open = 0;
        for (ClientSocket socket : sockets) {
            try {
                socket.closed().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                open++;
            }
        }
        return open;
    }

    /** Posts a JSON body as {@code userId}, to the node of its socket if it has one. */
    CompletableFuture<ContentResponse> post(String path, String userId, String json) {
        int node = homeNodes.getOrDefault(userId, Math.floorMod(nextNode.getAndIncrement(), ports.size()));
        return new CompletableResponseListener(rest.newRequest("http://127.0.0.1:" + ports.get(node) + path)
                .method(HttpMethod.POST)
                .headers(headers -> headers.put(HttpHeader.AUTHORIZATION, "Bearer " + token(userId)))
                .body(new StringRequestContent("application/json", json, StandardCharsets.UTF_8))
                .timeout(60, TimeUnit.SECONDS), 1024 * 1024).send();
    }

    /**
     * Closes the REST client's pooled connections; the next call opens new ones. The server keeps buffers per HTTP
     * connection until it closes, which a memory baseline must not count.
     */
    void closeRestConnections() throws Exception {
        rest.stop();
        rest.start();
    }

    /** Stops the clients and their threads; sockets still open are dropped. */
    @Override
    public void close() {
        pinger.shutdownNow();
        for (LifeCycle component : List.of(socketClient, socketClient.getHttpClient(), smallBufferClient,
                smallBufferClient.getHttpClient(), rest, scheduler, executor)) {
            try {
                component.stop();
            } catch (Exception e) {
                // Stopping is best effort: the run's figures are already taken.
            }
        }
    }
}
