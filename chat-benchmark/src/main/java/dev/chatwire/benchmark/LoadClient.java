package dev.chatwire.benchmark;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.client.CoreClientUpgradeRequest;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The load generator's side of the wire for one server, or for the nodes of one deployment (socket {@code i} goes to
 * node {@code i % nodes}; a user's REST calls go to its socket's node, or to the nodes in turn before it has one):
 * WebSockets on Jetty's core client, spread over several loopback source addresses (127.0.0.2, 127.0.0.3, ...) so
 * that tens of thousands of sockets never run short of ephemeral ports, and a pooled Jetty {@link HttpClient} for the
 * REST calls. Tokens are HS256 JWTs signed with the secret the server was given. Sockets meant to stop reading
 * connect through a client of their own, with a small kernel receive buffer ({@link #SMALL_RECEIVE_BUFFER}).
 */
final class LoadClient implements AutoCloseable {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(20);
    /**
     * Sockets per source address. Each address has a client with a selector thread of its own; filling one before
     * the next keeps the throughput workloads (up to 2,000 sockets) on one selector, which on two cores wastes the
     * least CPU on thread hand-offs, while 20,000 idle sockets use four addresses and stay far from the 28,000
     * ephemeral ports each address has.
     */
    static final int SOCKETS_PER_ADDRESS = 5_000;
    /**
     * {@code SO_RCVBUF} of the sockets that will stop reading, set before they connect so that the TCP window stays
     * this small (the kernel doubles it for its bookkeeping): they fill it within a few frames and back the server's
     * writes up at once, rather than after the megabytes a default buffer grows to on loopback.
     */
    static final int SMALL_RECEIVE_BUFFER = 4096;

    private final List<URI> http = new ArrayList<>();
    private final List<URI> ws = new ArrayList<>();
    private final AtomicInteger nextNode = new AtomicInteger();
    /** The node of each user's latest socket: its REST calls go there, as through a load balancer's sticky session. */
    private final Map<String, Integer> homeNodes = new ConcurrentHashMap<>();
    private final Algorithm signer;
    private final QueuedThreadPool executor = new QueuedThreadPool(64, 8);
    private final ScheduledExecutorScheduler scheduler = new ScheduledExecutorScheduler("load-scheduler", true);
    private final List<WebSocketCoreClient> wsClients = new ArrayList<>();
    private final WebSocketCoreClient smallBufferClient;
    private final HttpClient rest = new HttpClient();
    private final Configuration.ConfigurationCustomizer socketConfig = new Configuration.ConfigurationCustomizer();
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final Set<ClientSocket> kept = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "load-keepalive");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * A client for the nodes on {@code 127.0.0.1:ports}, which share the secret: its sockets leave from
     * {@code sourceAddresses} loopback addresses (127.0.0.2, 127.0.0.3, ...), at most {@code restConnections} REST
     * calls are in flight, and every socket sends a heartbeat every 20 s, as non-browser clients may (without them a
     * socket that only receives is idle in the servers' eyes).
     */
    LoadClient(List<Integer> ports, String secret, int sourceAddresses, int restConnections) throws Exception {
        for (int port : ports) {
            http.add(URI.create("http://127.0.0.1:" + port));
            ws.add(URI.create("ws://127.0.0.1:" + port + "/ws"));
        }
        this.signer = Algorithm.HMAC256(secret.getBytes(StandardCharsets.UTF_8));
        executor.setName("load-client");
        executor.setDaemon(true);
        executor.start();
        scheduler.start();
        // Sockets outlive every timeout of a run; the servers' own idle timeouts are kept away by heartbeats.
        socketConfig.setIdleTimeout(Duration.ofMinutes(30));
        for (int i = 0; i < sourceAddresses; i++) {
            HttpClient upgrades = new HttpClient();
            upgrades.setBindAddress(new InetSocketAddress("127.0.0." + (2 + i), 0));
            configure(upgrades, 256);
            WebSocketCoreClient client = new WebSocketCoreClient(upgrades, null);
            client.start();
            wsClients.add(client);
        }
        ClientConnector smallBuffers = new ClientConnector();
        smallBuffers.setReceiveBufferSize(SMALL_RECEIVE_BUFFER);
        HttpClient smallUpgrades = new HttpClient(new HttpClientTransportOverHTTP(smallBuffers));
        smallUpgrades.setBindAddress(new InetSocketAddress("127.0.0.2", 0));
        configure(smallUpgrades, 256);
        smallBufferClient = new WebSocketCoreClient(smallUpgrades, null);
        smallBufferClient.start();
        configure(rest, restConnections);
        rest.start();
        pinger.scheduleAtFixedRate(() -> kept.forEach(ClientSocket::heartbeat), HEARTBEAT_EVERY.toMillis(),
                HEARTBEAT_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void configure(HttpClient client, int connections) {
        client.setExecutor(executor);
        client.setScheduler(scheduler);
        client.setMaxConnectionsPerDestination(connections);
        client.setMaxRequestsQueuedPerDestination(1_000_000);
        client.setConnectTimeout(CONNECT_TIMEOUT.toMillis());
        client.setIdleTimeout(Duration.ofMinutes(30).toMillis());
        client.setFollowRedirects(false);
    }

    /** A token for {@code userId}, valid for two hours; minted once per user and client. */
    String token(String userId) {
        return tokens.computeIfAbsent(userId, user ->
                JWT.create().withSubject(user).withExpiresAt(Instant.now().plus(Duration.ofHours(2))).sign(signer));
    }

    /**
     * Opens a socket as {@code userId} and authenticates it, asking for a replay of what it missed.
     *
     * @param resume  the {@code resume} object of the {@code connect} frame (chat id to last seq seen), or null
     * @param timeout how long the socket may take to be {@code connected}
     */
    CompletableFuture<ClientSocket> open(int index, String userId, ClientSocket.Listener listener,
                                         boolean smallBuffer, String resume, Duration timeout) {
        ClientSocket socket = new ClientSocket(index, token(userId), resume, listener);
        int node = index % this.ws.size();
        homeNodes.put(userId, node);
        URI ws = this.ws.get(node);
        WebSocketCoreClient client = smallBuffer ? smallBufferClient
                : wsClients.get(Math.min(index / SOCKETS_PER_ADDRESS, wsClients.size() - 1));
        try {
            CoreClientUpgradeRequest request = CoreClientUpgradeRequest.from(client, ws, socket);
            request.setConfiguration(socketConfig);
            client.connect(request).whenComplete((session, failure) -> {
                if (failure != null) {
                    socket.connected().completeExceptionally(failure);
                }
            });
        } catch (IOException | RuntimeException e) {
            socket.connected().completeExceptionally(e);
        }
        return socket.connected().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).thenApply(frame -> socket);
    }

    /**
     * Opens and authenticates one socket per user with the given receive buffer, at most {@code concurrency}
     * handshakes at a time.
     *
     * @param firstIndex the index of the first socket; the others follow
     * @param done       told how many sockets are ready, as they become so
     * @throws IllegalStateException if any socket could not connect
     */
    List<ClientSocket> connectAll(int firstIndex, List<String> users, ClientSocket.Listener listener,
                                  boolean smallBuffer, int concurrency, Consumer<Integer> done)
            throws InterruptedException {
        Semaphore permits = new Semaphore(concurrency);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger ready = new AtomicInteger();
        List<CompletableFuture<ClientSocket>> pending = new ArrayList<>(users.size());
        for (int i = 0; i < users.size() && failure.get() == null; i++) {
            permits.acquire();
            CompletableFuture<ClientSocket> socket = open(firstIndex + i, users.get(i), listener, smallBuffer, null,
                    CONNECT_TIMEOUT);
            pending.add(socket.whenComplete((s, error) -> {
                permits.release();
                if (error != null) {
                    failure.compareAndSet(null, error);
                } else {
                    done.accept(ready.incrementAndGet());
                }
            }));
        }
        List<ClientSocket> sockets = new ArrayList<>(pending.size());
        for (CompletableFuture<ClientSocket> socket : pending) {
            try {
                sockets.add(socket.join());
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            }
        }
        if (failure.get() != null) {
            sockets.forEach(ClientSocket::close);
            throw new IllegalStateException("could not connect every socket: " + failure.get(), failure.get());
        }
        kept.addAll(sockets);
        return sockets;
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
            long left = deadline - System.nanoTime();
            try {
                socket.closed().get(Math.max(1, left), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                open++;
            }
        }
        return open;
    }

    /** A REST call's outcome. */
    record Response(int status, String body) {
    }

    /** Posts a JSON body as {@code userId}, to the node of its socket if it has one. */
    CompletableFuture<Response> post(String path, String userId, String json) {
        CompletableFuture<Response> response = new CompletableFuture<>();
        int node = homeNodes.getOrDefault(userId, Math.floorMod(nextNode.getAndIncrement(), http.size()));
        rest.newRequest(http.get(node).resolve(path))
                .method(HttpMethod.POST)
                .headers(headers -> headers.put(HttpHeader.AUTHORIZATION, "Bearer " + token(userId)))
                .body(new StringRequestContent("application/json", json, StandardCharsets.UTF_8))
                .timeout(60, TimeUnit.SECONDS)
                .send(new BufferingResponseListener(1024 * 1024) {
                    @Override
                    public void onComplete(org.eclipse.jetty.client.Result result) {
                        if (result.isFailed()) {
                            response.completeExceptionally(result.getFailure());
                        } else {
                            response.complete(new Response(result.getResponse().getStatus(),
                                    getContentAsString(StandardCharsets.UTF_8)));
                        }
                    }
                });
        return response;
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
        List<WebSocketCoreClient> clients = new ArrayList<>(wsClients);
        clients.add(smallBufferClient);
        for (WebSocketCoreClient client : clients) {
            stopQuietly(client);
            stopQuietly(client.getHttpClient());
        }
        stopQuietly(rest);
        stopQuietly(scheduler);
        stopQuietly(executor);
    }

    private static void stopQuietly(org.eclipse.jetty.util.component.LifeCycle component) {
        try {
            component.stop();
        } catch (Exception e) {
            // Stopping is best effort: the run's figures are already taken.
        }
    }
}
