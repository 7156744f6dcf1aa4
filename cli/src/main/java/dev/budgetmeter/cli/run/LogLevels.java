package dev.budgetmeter.cli.run;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Log levels per command. The packaged configuration keeps everything quiet (WARN, Kafka at ERROR) so the demo's
 * progress line stays readable; a long-running service wants its own lifecycle at INFO and Kafka's warnings.
 */
public final class LogLevels {

    private LogLevels() {
    }

    /** For {@code run}: the application at INFO, Kafka at WARN. */
    public static void service() {
        Configurator.setLevel("dev.budgetmeter", Level.INFO);
        Configurator.setLevel("org.apache.kafka", Level.WARN);
        Configurator.setLevel("kafka", Level.WARN);
    }
}
