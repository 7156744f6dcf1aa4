package dev.budgetmeter.cli.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * While installed, SIGTERM and SIGINT run a stop request instead of the JVM's default reaction, and nothing else: the
 * process goes on until the code that installed them decides to exit. {@link #close()} puts back the handlers there
 * were before. A signal this JVM does not let a program handle (with {@code -Xrs}, say) keeps its default reaction,
 * which is logged.
 *
 * <p>Why a handler and not the shutdown hook alone: on SIGTERM the JVM runs its shutdown hooks and then exits with
 * 128 + 15 whatever they do, so a hook cannot report a clean close as exit code 0. The only way out from inside a hook
 * is {@code Runtime.halt(0)}, which ends the JVM without waiting for the other hooks (log4j's, the libraries') and so
 * can lose the last log lines. A handler instead turns the signal into the command's normal stop path: the command
 * returns its exit code, and {@code System.exit} runs every hook as usual.
 */
public final class StopSignals implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);
    private static final List<String> NAMES = List.of("TERM", "INT");

    private final Map<Signal, SignalHandler> previous;

    private StopSignals(final Map<Signal, SignalHandler> previous) {
        this.previous = previous;
    }

    /** Runs {@code onSignal} (on the JVM's signal thread, so it must return quickly) on SIGTERM and SIGINT. */
    public static StopSignals install(final Runnable onSignal) {
        final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
        for (final String name : NAMES) {
            final Signal signal = new Signal(name);
            try {
                previous.put(signal, Signal.handle(signal, received -> onSignal.run()));
            } catch (final IllegalArgumentException notHandleable) {
                LOG.info("SIG{} keeps the JVM's default reaction (exit code {} after the shutdown hook): {}", name,
                        128 + signal.getNumber(), notHandleable.getMessage());
            }
        }
        return new StopSignals(previous);
    }

    @Override
    public void close() {
        previous.forEach(Signal::handle);
    }
}
