package dev.chatwire.benchmark;

import com.mongodb.ConnectionString;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The deployed configuration's backends for one run: a MongoDB (the {@link MongoStandIn} in a JVM of its own, or a
 * real server given by URI) and a {@link RedisProcess}, each reached by the servers through a {@link DelayProxy} of
 * its own, so that every round trip to a backend takes twice the delay on top of the backend's own time.
 */
final class BackendStack implements AutoCloseable {

    private final List<AutoCloseable> opened = new ArrayList<>();
    private final Map<String, Long> pids = new LinkedHashMap<>();
    private final RedisProcess redis;
    private final ChildJvm mongoProxy;
    private final ChildJvm redisProxy;

    private BackendStack(Path dir, String mongoUri, double delayMillis) throws IOException, InterruptedException {
        String delay = Double.toString(delayMillis);
        // Two chains at once, each backend then its proxy: JVMs take seconds to start on a busy machine.
        CompletableFuture<ChildJvm> mongoChain = CompletableFuture.supplyAsync(() -> {
            String host = "127.0.0.1";
            int port;
            if (mongoUri == null) {
                ChildJvm mongo = own(unchecked(() -> ChildJvm.start("mongo", MongoStandIn.class,
                        dir.resolve("mongo.log"))));
                pids.put("mongo", mongo.pid());
                port = mongo.port();
            } else {
                String hostAndPort = new ConnectionString(mongoUri).getHosts().get(0);
                int colon = hostAndPort.lastIndexOf(':');
                host = colon < 0 ? hostAndPort : hostAndPort.substring(0, colon);
                port = colon < 0 ? 27017 : Integer.parseInt(hostAndPort.substring(colon + 1));
            }
            String target = host;
            return own(unchecked(() -> ChildJvm.start("mongo-proxy", DelayProxy.class,
                    dir.resolve("mongo-proxy.log"), target, Integer.toString(port), delay)));
        });
        CompletableFuture<RedisProcess> redisStart = CompletableFuture.supplyAsync(() ->
                own(unchecked(() -> RedisProcess.start(dir.resolve("redis")))));
        CompletableFuture<ChildJvm> redisChain = redisStart.thenApply(redis -> own(unchecked(() ->
                ChildJvm.start("redis-proxy", DelayProxy.class, dir.resolve("redis-proxy.log"), "127.0.0.1",
                        Integer.toString(redis.port()), delay))));
        try {
            mongoProxy = mongoChain.join();
            redis = redisStart.join();
            redisProxy = redisChain.join();
        } catch (RuntimeException e) {
            CompletableFuture.allOf(mongoChain, redisChain).exceptionally(failure -> null).join();
            close();
            throw e;
        }
        pids.put("redis", redis.pid());
        pids.put("mongo_proxy", mongoProxy.pid());
        pids.put("redis_proxy", redisProxy.pid());
    }

    /** Something that starts a process. */
    @FunctionalInterface
    interface Start<T> {
        T start() throws IOException, InterruptedException;
    }

    /** Starts a process where no checked exception may leave, as in a {@code CompletableFuture} stage. */
    static <T> T unchecked(Start<T> start) {
        try {
            return start.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts the backends and their proxies.
     *
     * @param dir         where their logs go
     * @param mongoUri    a real MongoDB to use instead of the stand-in, or null
     * @param delayMillis the delay each proxy adds in each direction
     */
    static BackendStack start(Path dir, String mongoUri, double delayMillis) throws IOException, InterruptedException {
        return new BackendStack(dir, mongoUri, delayMillis);
    }

    private <T extends AutoCloseable> T own(T resource) {
        synchronized (opened) {
            opened.add(resource);
        }
        return resource;
    }

    /** The example server's environment for these backends, storing in {@code database}. */
    Map<String, String> serverEnv(String database) {
        return Map.of("CHAT_MONGO_URI", "mongodb://127.0.0.1:" + mongoProxy.port() + "/" + database,
                "CHAT_REDIS_URI", "redis://127.0.0.1:" + redisProxy.port());
    }

    /** The processes of the backends and proxies by name ({@code mongo}, {@code redis}, and their proxies). */
    Map<String, Long> pids() {
        return Collections.unmodifiableMap(pids);
    }

    RedisProcess redis() {
        return redis;
    }

    /** Stops the proxies, then the backends. */
    @Override
    public void close() {
        List<AutoCloseable> all;
        synchronized (opened) {
            all = new ArrayList<>(opened);
        }
        // Proxies first: they were started last in each chain.
        all.sort(Comparator.comparing(resource -> resource instanceof ChildJvm jvm && jvm.name().endsWith("proxy")
                ? 0 : 1));
        for (int i = 0; i < all.size(); i++) {
            try {
                all.get(i).close();
            } catch (Exception e) {
                // Stopping is best effort: the run's figures are already taken.
            }
        }
    }
}
