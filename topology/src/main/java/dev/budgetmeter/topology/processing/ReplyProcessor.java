package dev.budgetmeter.topology.processing;

import dev.budgetmeter.schemas.Decision;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** Hands the budget ledger's decisions, read back from ledger-replies, to the lifecycle of the reservation's task. */
public final class ReplyProcessor implements Processor<String, Decision, String, LifecycleInput> {

    private final String lifecycle;
    private ProcessorContext<String, LifecycleInput> context;

    /** @param lifecycle the node the decisions go to */
    public ReplyProcessor(final String lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Override
    public void init(final ProcessorContext<String, LifecycleInput> context) {
        this.context = context;
    }

    @Override
    public void process(final Record<String, Decision> record) {
        context.forward(record.withValue(new LifecycleInput.Decided(record.value())), lifecycle);
    }
}
