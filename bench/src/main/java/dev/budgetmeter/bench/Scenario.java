package dev.budgetmeter.bench;

import java.util.Arrays;
import java.util.Locale;

/** The scenarios of a run, in the order they run; {@link #id()} is the name {@code --only} takes. */
public enum Scenario {
    THROUGHPUT("throughput", "Throughput on the local stack", true),
    LATENCY("latency", "End-to-end latency", true),
    TIMEOUT("timeout", "Timeout precision", true),
    LEDGER("ledger", "Budget ledger: decisions per second and decision latency", false),
    SCALE("scale", "Punctuation cost at scale", false),
    PRODUCER("producer", "Producer library overhead (JMH)", false);

    private final String id;
    private final String title;
    private final boolean usesMetering;

    Scenario(final String id, final String title, final boolean usesMetering) {
        this.id = id;
        this.title = title;
        this.usesMetering = usesMetering;
    }

    /**
     * Whether it loads the running metering application (external authority); the ones after it run with that
     * application stopped. The ledger scenario runs applications of its own.
     */
    public boolean usesMetering() {
        return usesMetering;
    }

    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    /** The scenario named {@code id}, case-insensitive. */
    public static Scenario byId(final String id) {
        final String wanted = id.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(scenario -> scenario.id.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown scenario '" + id + "'; known: "
                        + Arrays.stream(values()).map(Scenario::id).toList()));
    }
}
