package dev.chatwire.core.contract;

import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A small seeded property runner: checks a property against many generated inputs and, when one fails, names the
 * seed that regenerates it. It stands in for jqwik, which does not run on the JUnit Platform 6 this build uses; it
 * does not shrink, so the failing input is printed as generated.
 *
 * <p>Each try draws its input from a {@link Random} seeded with {@code base + try}. The base is random unless the
 * system property {@value #SEED_PROPERTY} is set, so a failure's seed passed back (for example
 * {@code mvn -pl chat-core verify -Dtest=ProtocolCodecPropertyTest -Dchatwire.seed=123}) makes the failing input the
 * first one tried.
 */
public final class PropertyRunner {

    /** The system property that fixes the base seed. */
    public static final String SEED_PROPERTY = "chatwire.seed";

    /** The system property that multiplies every property's tries, for a longer hunt than the build's. */
    public static final String TRIES_FACTOR_PROPERTY = "chatwire.tries.factor";

    /** How many tries {@link #forAll(String, Function, Consumer)} makes, before {@value #TRIES_FACTOR_PROPERTY}. */
    public static final int DEFAULT_TRIES = 2_000;

    private static final int MAX_SHOWN_INPUT_CHARS = 2_000;

    private PropertyRunner() {
    }

    /** Checks {@code property} against {@value #DEFAULT_TRIES} inputs from {@code generator}. */
    public static <T> void forAll(String name, Function<Random, T> generator, Consumer<T> property) {
        forAll(name, DEFAULT_TRIES, generator, property);
    }

    /**
     * Checks {@code property} against {@code tries} inputs from {@code generator} (times
     * {@value #TRIES_FACTOR_PROPERTY} when set); the property fails by throwing.
     *
     * @throws AssertionError for the first input whose check threw, naming the property, the seed and the input,
     *                        with what the check threw as its cause
     */
    public static <T> void forAll(String name, int tries, Function<Random, T> generator, Consumer<T> property) {
        long base = baseSeed();
        tries *= Integer.getInteger(TRIES_FACTOR_PROPERTY, 1);
        for (int i = 0; i < tries; i++) {
            long seed = base + i;
            T input = generator.apply(new Random(seed));
            try {
                property.accept(input);
            } catch (AssertionError | RuntimeException failure) {
                throw new AssertionError("property '" + name + "' failed on try " + (i + 1) + " of " + tries
                        + "; rerun it with -D" + SEED_PROPERTY + "=" + seed + "\ninput: " + show(input)
                        + "\nfailure: " + failure, failure);
            }
        }
    }

    private static long baseSeed() {
        String fixed = System.getProperty(SEED_PROPERTY);
        return fixed == null || fixed.isBlank() ? new Random().nextLong() : Long.parseLong(fixed.trim());
    }

    /** The input, with control characters and surrogates escaped so that the report shows what was sent. */
    private static String show(Object input) {
        String text = String.valueOf(input);
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < text.length() && shown.length() < MAX_SHOWN_INPUT_CHARS; i++) {
            char c = text.charAt(i);
            boolean plain = c >= 0x20 && c < 0x7f;
            shown.append(plain ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return text.length() > MAX_SHOWN_INPUT_CHARS ? shown + "... (" + text.length() + " chars)" : shown.toString();
    }
}
