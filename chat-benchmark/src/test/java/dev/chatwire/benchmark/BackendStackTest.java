package dev.chatwire.benchmark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class BackendStackTest {

    @TempDir
    Path dir;

    @Test
    void whenRedisCannotStartTheMongoStandInStartedBesideItIsStoppedToo() throws Exception {
        // A file where Redis's working directory should be: starting Redis fails at once, while the stand-in's JVM
        // starts.
        Files.writeString(dir.resolve("redis"), "in the way");

        assertThatThrownBy(() -> new BackendStack(dir, null, 1)).isInstanceOf(UncheckedIOException.class);

        // The stand-in's process exists as soon as it is forked: watch long enough for a leaked one to have been.
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6))
                .untilAsserted(() -> assertThat(standIns()).as("a MongoDB stand-in left running").isEmpty());
    }

    /**
     * This JVM's live helper JVMs ({@link ChildProcess#helper}'s flags): only the stand-in is started before Redis. The
     * command line is matched on its first flags since Linux cuts it off inside the long class path.
     */
    private static List<ProcessHandle> standIns() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive).filter(child -> child.info()
                .commandLine().orElse("").contains("-Xmx512m -XX:+UseSerialGC")).toList();
    }
}
