package dev.budgetmeter.bench.env;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/**
 * The CPU time an application has used so far: the sum over the live threads of this JVM whose names contain its
 * application id (its stream threads, their producers' and consumers' network threads). Unlike a rate, CPU per
 * record hardly moves when neighbours load the machine: it is the cost the application's own code controls.
 */
public final class ApplicationCpu {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final String applicationId;

    public ApplicationCpu(final String applicationId) {
        this.applicationId = applicationId;
    }

    /** Whether this JVM measures thread CPU time at all. */
    public static boolean supported() {
        return THREADS.isThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();
    }

    /** CPU nanoseconds used by the application's live threads (a thread that ended no longer counts). */
    public long nanos() {
        long total = 0;
        // Thread infos without stack traces: no safepoint pause imposed on the application being measured.
        for (final ThreadInfo thread : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (thread != null && thread.getThreadName().contains(applicationId)) {
                total += Math.max(0, THREADS.getThreadCpuTime(thread.getThreadId()));
            }
        }
        return total;
    }
}
