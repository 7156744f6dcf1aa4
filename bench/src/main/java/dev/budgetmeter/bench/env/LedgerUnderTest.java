package dev.budgetmeter.bench.env;

import dev.budgetmeter.localstack.KafkaStack;
import dev.budgetmeter.topics.TopicRegistry;

/**
 * The metering application with the budget ledger, running on topics of its own role, with a count of the decisions
 * its workers would read. Closing it stops the count and the application and removes its state.
 *
 * @param app       the application, started with {@code metering.authority=LEDGER}: what a search loads
 * @param topics    its topics: where budgets, Reserves and workers' decisions go
 * @param stack     the broker and registry it runs on
 * @param decisions the decisions read so far
 */
public record LedgerUnderTest(MeteringUnderTest app, TopicRegistry topics, KafkaStack stack,
                              DecisionCounter decisions) implements AutoCloseable {

    @Override
    public void close() {
        try {
            decisions.close();
        } finally {
            app.close();
        }
    }
}
