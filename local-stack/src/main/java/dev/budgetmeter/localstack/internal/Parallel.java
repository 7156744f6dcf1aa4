package dev.budgetmeter.localstack.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs a few named blocking tasks at the same time, each on its own thread, and waits for all of them. Own threads
 * rather than the common pool: on a 2-core machine the common pool runs one task at a time, which would serialize the
 * broker and registry starts that this exists to overlap.
 */
public final class Parallel {

    /** One named task; the name becomes the thread name, for thread dumps of a hanging start. */
    public record Task(String name, Runnable body) {

        /** Validates both fields. */
        public Task {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(body, "body");
        }
    }

    private Parallel() {
    }

    /**
     * Runs every task and returns when all have finished. If any failed, throws the failure of the first failed task
     * (in list order) with the other failures attached as suppressed exceptions.
     */
    public static void runAll(final List<Task> tasks) {
        // One slot per task, written only by that task's thread; join() makes the writes visible here.
        final Throwable[] failures = new Throwable[tasks.size()];
        final List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            final int slot = i;
            final Task task = tasks.get(i);
            final Thread thread = new Thread(() -> {
                try {
                    task.body().run();
                } catch (final RuntimeException | Error e) {
                    failures[slot] = e;
                }
            }, "budgetmeter-" + task.name());
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        joinAll(threads);
        rethrowFirst(failures);
    }

    private static void joinAll(final List<Thread> threads) {
        for (final Thread thread : threads) {
            try {
                thread.join();
            } catch (final InterruptedException e) {
                threads.forEach(Thread::interrupt);
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + thread.getName(), e);
            }
        }
    }

    private static void rethrowFirst(final Throwable[] failures) {
        Throwable first = null;
        for (final Throwable failure : failures) {
            if (failure == null) {
                continue;
            }
            if (first == null) {
                first = failure;
            } else {
                first.addSuppressed(failure);
            }
        }
        if (first instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (first != null) {
            throw (Error) first;
        }
    }
}
