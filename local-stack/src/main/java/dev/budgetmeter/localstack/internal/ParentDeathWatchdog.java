package dev.budgetmeter.localstack.internal;

import java.io.IOException;
import java.io.InputStream;

/**
 * A Java agent that makes a child JVM die with its parent, however the parent dies (including {@code kill -9}).
 *
 * <p>How: the parent launches the child with its standard input connected to a pipe whose write end only the parent
 * holds, and never writes to it. This agent's daemon thread blocks reading that pipe. When the parent process ends for
 * any reason, the operating system closes the parent's end, the read returns end-of-file, and the agent halts the
 * child at once. No code has to run in the parent (a shutdown hook would not run on {@code kill -9}), there is no
 * polling and no pid that could be reused. The only requirement on the child is that nothing else in it reads
 * standard input, which holds for a server such as Apicurio Registry.
 *
 * <p>This class must stay self-contained (JDK types only, no nested or anonymous classes): {@link WatchdogAgentJar}
 * copies its class file alone into the agent jar.
 */
public final class ParentDeathWatchdog {

    /** The exit status of a child halted because its parent is gone (128 + SIGTERM, as if terminated). */
    public static final int PARENT_GONE_STATUS = 143;

    private ParentDeathWatchdog() {
    }

    /**
     * Agent entry point ({@code -javaagent:parent-death-watchdog.jar}): starts the watching thread and returns, so the
     * child's own {@code main} runs as usual.
     */
    public static void premain(final String agentArgs) {
        final Thread watcher = new Thread(ParentDeathWatchdog::haltAtEndOfInput, "parent-death-watchdog");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static void haltAtEndOfInput() {
        final InputStream parentPipe = System.in;
        final byte[] ignored = new byte[64];
        try {
            while (parentPipe.read(ignored) >= 0) {
                // The parent never writes; anything read is discarded. Only end-of-file matters.
            }
        } catch (final IOException e) {
            // A broken pipe means the same as end-of-file: the parent is gone.
        }
        // halt, not exit: shutdown hooks could hang, and an orphan must not outlive its parent.
        Runtime.getRuntime().halt(PARENT_GONE_STATUS);
    }
}
