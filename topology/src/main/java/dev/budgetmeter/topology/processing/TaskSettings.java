package dev.budgetmeter.topology.processing;

import dev.budgetmeter.topology.decode.InputTenancy;
import dev.budgetmeter.topology.lifecycle.MeteringPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings a lifecycle task runs with, resolved from the application's configuration.
 *
 * @param policy                  the lifecycle's rules
 * @param punctuationInterval     how often the task looks at its due deadlines (wall clock)
 * @param maxDuePerPunctuation    deadlines handled per punctuation at most
 * @param orphanTimeoutMs         how long events of an unknown reservation wait for its Reserve (input clock)
 * @param orphanMaxEvents         events held per unknown reservation at most
 * @param deadLetterMaxValueBytes original values longer than this are cut in their dead letter
 * @param tenancy                 whose events each input topic may carry
 */
public record TaskSettings(MeteringPolicy policy, Duration punctuationInterval, int maxDuePerPunctuation,
                           long orphanTimeoutMs, int orphanMaxEvents, int deadLetterMaxValueBytes,
                           InputTenancy tenancy) {

    public TaskSettings {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(punctuationInterval, "punctuationInterval");
        Objects.requireNonNull(tenancy, "tenancy");
    }
}
