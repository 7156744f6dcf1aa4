package dev.budgetmeter.cli.run;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Log levels per command. The packaged configuration keeps everything quiet (WARN, Kafka at ERROR) so the demo's
 * progress line stays readable; a long-running service wants its own lifecycle at INFO and Kafka's warnings.
 */
public final class LogLevels {

    /**
     * Kafka Streams' default standby assignor (a package-private class, hence the name). In Kafka Streams 4.3 the only
     * thing it logs is its warning that a standby task cannot be placed, once per task at every rebalance.
     */
    static final String STANDBY_ASSIGNOR =
            "org.apache.kafka.streams.processor.internals.assignment.DefaultStandbyTaskAssignor";

    private LogLevels() {
    }

    /** For {@code run}: the application at INFO, Kafka at WARN. */
    public static void service() {
        Configurator.setLevel("dev.budgetmeter", Level.INFO);
        Configurator.setLevel("org.apache.kafka", Level.WARN);
        Configurator.setLevel("kafka", Level.WARN);
    }

    /** Turns off the warnings that a standby task cannot be placed, and nothing else of Kafka Streams. */
    public static void quietStandbyPlacement() {
        Configurator.setLevel(STANDBY_ASSIGNOR, Level.ERROR);
    }
}
