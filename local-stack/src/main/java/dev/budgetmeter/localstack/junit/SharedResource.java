package dev.budgetmeter.localstack.junit;

import java.util.function.Supplier;

/**
 * A resource of the whole test run (a stack, a cluster), or why it could not start: a failed start is remembered, so
 * every later test class fails at once with the same cause instead of waiting out the start timeouts again. Kept in
 * JUnit's root store, which closes it when the run ends.
 *
 * @param <T> what is shared
 */
final class SharedResource<T extends AutoCloseable> implements AutoCloseable {

    private final String what;
    private final T resource;
    private final RuntimeException failure;

    private SharedResource(final String what, final T resource, final RuntimeException failure) {
        this.what = what;
        this.resource = resource;
        this.failure = failure;
    }

    /** Starts the resource, remembering a failure instead of throwing it. */
    static <T extends AutoCloseable> SharedResource<T> start(final String what, final Supplier<T> starter) {
        try {
            return new SharedResource<>(what, starter.get(), null);
        } catch (final RuntimeException e) {
            return new SharedResource<>(what, null, e);
        }
    }

    /** The resource, or the remembered start failure. */
    T get() {
        if (failure != null) {
            throw new IllegalStateException("the shared " + what + " of this test JVM failed to start: "
                    + failure.getMessage(), failure);
        }
        return resource;
    }

    @Override
    public void close() throws Exception {
        if (resource != null) {
            resource.close();
        }
    }
}
