package dev.budgetmeter.localstack.internal;

import org.apache.kafka.common.utils.Exit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops an in-process Kafka broker from ending its host JVM.
 *
 * <p>A Kafka server treats some faults as fatal and calls {@code Exit.halt(1)}, e.g. when its controller cannot bind
 * its port. In a broker process that is right; in a test JVM it kills the whole test run without a word ("the forked
 * VM terminated without saying goodbye"). Once installed, Kafka's exit and halt procedures throw a
 * {@link KafkaHaltRequestedException} instead, which surfaces in the thread that hit the fault (during start-up, as the
 * start failure) and is logged at ERROR. The broker is unusable afterwards, but the JVM lives on to report it.
 *
 * <p>Kafka's procedures are JVM-wide: this affects every Kafka server component in the JVM, which is the point. Kafka
 * clients never call them.
 */
public final class KafkaExitGuard {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaExitGuard.class);

    private KafkaExitGuard() {
    }

    /** Installs the guard; calling it again does no harm. */
    public static synchronized void install() {
        Exit.setHaltProcedure((status, message) -> refuse("halt", status, message));
        Exit.setExitProcedure((status, message) -> refuse("exit", status, message));
    }

    private static void refuse(final String call, final int status, final String message) {
        final KafkaHaltRequestedException refusal = new KafkaHaltRequestedException(call, status, message);
        LOG.error("{}", refusal.getMessage());
        throw refusal;
    }

    /** Kafka asked to end the JVM after a fatal fault; the fault itself is in Kafka's ERROR log just before. */
    public static final class KafkaHaltRequestedException extends IllegalStateException {

        private static final long serialVersionUID = 1L;

        KafkaHaltRequestedException(final String call, final int status, final String message) {
            super("the in-process Kafka broker hit a fatal fault and called Exit." + call + "(" + status + ")"
                    + (message == null ? "" : " (" + message + ")") + "; refused so the JVM survives, but the broker"
                    + " is unusable now. The fault is logged at ERROR by the loggers 'kafka' and 'org.apache.kafka'");
        }
    }
}
