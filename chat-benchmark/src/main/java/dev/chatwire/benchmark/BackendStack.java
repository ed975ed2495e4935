package dev.chatwire.benchmark;

import com.mongodb.ConnectionString;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The deployed configuration's backends for one run: a MongoDB (the {@link IndexedMemoryBackend} stand-in in a JVM of
 * its own, or a real server given by URI) and a {@link RedisProcess}, each reached by the servers through a
 * {@link DelayProxy} of its own, so that every round trip to a backend takes twice the delay on top of the backend's
 * own time.
 */
final class BackendStack implements AutoCloseable {

    private final List<AutoCloseable> opened = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Long> pids = new LinkedHashMap<>();
    private final ChildProcess redis;
    private final ChildProcess mongoProxy;
    private final ChildProcess redisProxy;

    /**
     * Starts the backends and their proxies.
     *
     * @param dir         where their logs go
     * @param mongoUri    a real MongoDB to use instead of the stand-in, or null
     * @param delayMillis the delay each proxy adds in each direction
     */
    BackendStack(Path dir, String mongoUri, double delayMillis) throws IOException, InterruptedException {
        String delay = Double.toString(delayMillis);
        Files.createDirectories(dir);
        // The stand-in's JVM starts while Redis and its proxy do: JVMs take seconds on a busy machine.
        CompletableFuture<ChildProcess> standIn = CompletableFuture.supplyAsync(() -> mongoUri != null ? null
                : own(unchecked(() -> ChildProcess.helper("mongo", IndexedMemoryBackend.class,
                        dir.resolve("mongo.log")))));
        try {
            redis = own(RedisProcess.start(dir.resolve("redis")));
            redisProxy = own(ChildProcess.helper("redis-proxy", DelayProxy.class, dir.resolve("redis-proxy.log"),
                    "127.0.0.1", Integer.toString(redis.port()), delay));
            String target = mongoUri == null ? "127.0.0.1:" + standIn.join().port()
                    : new ConnectionString(mongoUri).getHosts().get(0);
            String[] hostAndPort = (target.contains(":") ? target : target + ":27017").split(":");
            mongoProxy = own(ChildProcess.helper("mongo-proxy", DelayProxy.class, dir.resolve("mongo-proxy.log"),
                    hostAndPort[0], hostAndPort[1], delay));
        } catch (IOException | InterruptedException | RuntimeException e) {
            // The stand-in may still be starting: it is closed with the rest once it has started (or failed to).
            standIn.handle((started, failure) -> null).join();
            close();
            throw e;
        }
        if (mongoUri == null) {
            pids.put("mongo", standIn.join().pid());
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

    private <T extends AutoCloseable> T own(T resource) {
        opened.add(resource);
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

    /** Redis's counters now, read past its proxy. */
    RedisProcess.Stats redisStats() {
        return RedisProcess.Stats.read(redis.port());
    }

    /** Stops everything it started, the last started first: each proxy before its backend. */
    @Override
    public void close() {
        List<AutoCloseable> all = new ArrayList<>(opened);
        Collections.reverse(all);
        for (AutoCloseable resource : all) {
            try {
                resource.close();
            } catch (Exception e) {
                // Stopping is best effort: the run's figures are already taken.
            }
        }
    }
}
