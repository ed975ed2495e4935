package dev.chatwire.client;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {

    /** A "random" source that always answers the same fraction, so that the ceilings can be read off the delays. */
    static RandomGenerator always(double fraction) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException("only nextDouble is used");
            }

            @Override
            public double nextDouble() {
                return fraction;
            }
        };
    }

    @Test
    void theCeilingDoublesUpToTheCapAndStartsOverAfterAReset() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1_000), always(0.5));

        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            delays.add(backoff.next().toMillis());
        }
        backoff.reset();

        assertThat(delays).containsExactly(50L, 100L, 200L, 400L, 500L, 500L);
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void fullJitterSpreadsDelaysOverTheWholeRangeBelowTheCeiling() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30), new SplittableRandom(7));
        for (int i = 0; i < 5; i++) {
            backoff.next();
        }

        List<Long> sixth = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Backoff same = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30), new SplittableRandom(i));
            for (int j = 0; j < 5; j++) {
                same.next();
            }
            sixth.add(same.next().toMillis());
        }

        assertThat(sixth).allMatch(delay -> delay >= 0 && delay < 3_200);
        assertThat(sixth.stream().mapToLong(Long::longValue).min().orElseThrow()).isLessThan(400);
        assertThat(sixth.stream().mapToLong(Long::longValue).max().orElseThrow()).isGreaterThan(2_800);
    }

    @Test
    void manyFailuresNeitherOverflowNorExceedTheCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30), always(0.999));

        for (int i = 0; i < 1_000; i++) {
            assertThat(backoff.next()).isLessThan(Duration.ofSeconds(30)).isGreaterThanOrEqualTo(Duration.ZERO);
        }
    }
}
