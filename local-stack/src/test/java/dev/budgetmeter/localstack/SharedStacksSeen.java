package dev.budgetmeter.localstack;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every stack instance that test classes of this JVM were handed by the extension. Test classes run in any order;
 * whichever records second fails if it got a different instance.
 */
final class SharedStacksSeen {

    private static final Set<KafkaStack> SEEN = Collections.synchronizedSet(
            Collections.newSetFromMap(new IdentityHashMap<>()));

    private SharedStacksSeen() {
    }

    /** Records {@code stack} and asserts it is the only instance recorded so far. */
    static void record(final KafkaStack stack) {
        SEEN.add(stack);
        synchronized (SEEN) {
            assertThat(SEEN).as("stacks handed out in this test JVM").containsExactly(stack);
        }
    }
}
