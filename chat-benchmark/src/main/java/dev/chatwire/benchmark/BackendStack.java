package dev.chatwire.benchmark;

import com.mongodb.ConnectionString;
import com.mongodb.ServerAddress;
import dev.chatwire.testing.MongoTestServer;
import dev.chatwire.testing.RedisTestServer;
import dev.chatwire.testing.TcpLink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * The deployed configuration's backends for one run: a MongoDB (the {@link MongoTestServer} stand-in in a JVM of its
 * own, or a real server given by URI) and a {@link RedisTestServer}, each reached by the servers through a
 * {@link TcpLink} that delays, in a JVM of its own, so that every round trip to a backend takes twice the delay on top
 * of the backend's own time.
 */
final class BackendStack implements AutoCloseable {

    /** Completes with the stand-in, or with null for a real MongoDB. */
    private final CompletableFuture<ChildProcess> standIn;
    private RedisTestServer redis;
    private ChildProcess redisProxy;
    private ChildProcess mongoProxy;

    /**
     * Starts the backends, logging into {@code dir}: the stand-in unless {@code mongoUri} names a real MongoDB, and
     * proxies adding {@code delayMillis} in each direction. If one fails, stops what started and throws.
     */
    BackendStack(Path dir, String mongoUri, double delayMillis) throws IOException {
        Files.createDirectories(dir);
        // The stand-in's JVM starts while Redis and its proxy do: JVMs take seconds on a busy machine.
        standIn = CompletableFuture.supplyAsync(() -> mongoUri != null ? null
                : unchecked(() -> ChildProcess.helper("mongo", dir.resolve("mongo.log"), "mongo")));
        try {
            redis = RedisTestServer.startLocal(dir.resolve("redis"));
            redisProxy = proxy(dir, "redis", new ServerAddress("127.0.0.1", redis.port()), delayMillis);
            mongoProxy = proxy(dir, "mongo", mongoUri == null ? new ServerAddress("127.0.0.1", standIn.join().port())
                    : new ServerAddress(new ConnectionString(mongoUri).getHosts().get(0)), delayMillis);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private static ChildProcess proxy(Path dir, String backend, ServerAddress target, double delayMillis)
            throws IOException {
        return ChildProcess.helper(backend + "-proxy", dir.resolve(backend + "-proxy.log"), "proxy",
                target.getHost(), Integer.toString(target.getPort()), Double.toString(delayMillis));
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

    /** The example server's environment for these backends, storing in {@code database}. */
    Map<String, String> serverEnv(String database) {
        return Map.of("CHAT_MONGO_URI", "mongodb://127.0.0.1:" + mongoProxy.port() + "/" + database,
                "CHAT_REDIS_URI", "redis://127.0.0.1:" + redisProxy.port());
    }

    /** The processes by name: {@code mongo} (the stand-in only), {@code redis}, {@code mongo_proxy} and so on. */
    Map<String, Long> pids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        Optional.ofNullable(standIn.join()).ifPresent(mongo -> pids.put("mongo", mongo.pid()));
        pids.put("redis", redis.pid());
        pids.put("mongo_proxy", mongoProxy.pid());
        pids.put("redis_proxy", redisProxy.pid());
        return pids;
    }

    /** Redis's counters now, read past its proxy. */
    RedisStats redisStats() {
        return RedisStats.read(redis.port());
    }

    /** Stops everything it started, each proxy before its backend, once a stand-in still starting has started. */
    @Override
    public void close() {
        ChildProcess mongo = standIn.handle((started, failure) -> started).join();
        Stream.of(mongoProxy, mongo, redisProxy).filter(Objects::nonNull).forEach(ChildProcess::close);
        if (redis != null) {
            redis.close();
        }
    }
}
